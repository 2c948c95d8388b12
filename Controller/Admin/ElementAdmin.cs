using System.Collections.Generic;
using System.Threading.Tasks;
using Controller.Cluster;
using Controller.Forms;
using Controller.Registration;

namespace Controller.Admin;

/// <summary>
/// What an administrator can do to a running element, form by form. Each change is validated
/// (bad input throws <see cref="FormException"/> and changes nothing), then live registrations
/// are re-examined (a deleted DN or set is reset and prompts) and other elements are told of
/// Telephone Directory changes.
/// </summary>
public sealed class ElementAdmin
{
    private readonly ElementForms _forms;
    private readonly object _gate;
    private readonly RegistrationServer _registration;
    private readonly RdnSynchronizer _rdn;

    public ElementAdmin(ElementForms forms, object gate, RegistrationServer registration, RdnSynchronizer rdn)
    {
        _forms = forms;
        _gate = gate;
        _registration = registration;
        _rdn = rdn;
    }

    public List<(string Mac, string Dn)> LiveRegistrations()
    {
        return _registration.LiveRegistrations();
    }

    public List<(string Number, string Name)> ListDirectory()
    {
        lock (_gate)
        {
            return _forms.TelephoneDirectory.List();
        }
    }

    public void AddDirectoryNumber(string number, string name, int? secondaryCeidIndex)
    {
        lock (_gate)
        {
            if (secondaryCeidIndex.HasValue && !ElementExists(secondaryCeidIndex.Value))
            {
                throw new FormException("secondary element " + secondaryCeidIndex.Value + " is not in Cluster Elements");
            }

            using Microsoft.Data.Sqlite.SqliteTransaction transaction = _forms.Database.BeginTransaction();
            _forms.TelephoneDirectory.Add(number, name);
            if (secondaryCeidIndex.HasValue)
            {
                _forms.ClusterDirectory.AddRemoteDirectoryNumber(number, _forms.ClusterDirectory.LocalCeidIndex(), secondaryCeidIndex.Value);
            }

            transaction.Commit();
        }

        _rdn.Announce(number, deleted: false);
    }

    /// <summary>Changes a DN's name (shown at the set's next registration).</summary>
    public void RenameDirectoryNumber(string number, string name)
    {
        lock (_gate)
        {
            if (!_forms.TelephoneDirectory.Rename(number, name))
            {
                throw new NotFoundException("directory number " + number + " is not in the Telephone Directory");
            }
        }
    }

    public async Task<int> DeleteDirectoryNumber(string number)
    {
        FormValidation.DirectoryNumber(number);
        lock (_gate)
        {
            if (!_forms.TelephoneDirectory.Delete(number))
            {
                throw new NotFoundException("directory number " + number + " is not in the Telephone Directory");
            }

            _forms.ClusterDirectory.DeleteRemoteDirectoryNumber(number);
        }

        _rdn.Announce(number, deleted: true);
        return await _registration.RecheckAsync().ConfigureAwait(false);
    }

    public List<(string Dn, string? Mac, bool PinMemory)> ListSets()
    {
        lock (_gate)
        {
            return _forms.MultilineIpSets.List();
        }
    }

    public void ReserveSet(string mac, string dn, bool pinMemory)
    {
        lock (_gate)
        {
            _forms.MultilineIpSets.Reserve(mac, dn, pinMemory);
        }
    }

    /// <summary>MACs reserved here on another element's DN: (MAC, DN).</summary>
    public List<(string Mac, string Dn)> ListRemoteReservations()
    {
        lock (_gate)
        {
            return _forms.MultilineIpSets.ListRemoteReservations();
        }
    }

    /// <summary>
    /// Deletes the set with this MAC: its row (or remote reservation) here, and a live registration
    /// here at the DN's secondary element. The set is told to clear its PIN and reset.
    /// </summary>
    public async Task<int> DeleteSet(string mac)
    {
        string normalized = FormValidation.Mac(mac);
        bool deleted;
        lock (_gate)
        {
            deleted = _forms.MultilineIpSets.DeleteByMac(normalized);
        }

        int told = await _registration.RecheckAsync().ConfigureAwait(false) + _registration.Hub.ReleaseSecondary(normalized, null, System.Environment.TickCount64);
        if (!deleted && told == 0)
        {
            throw new NotFoundException("no set with MAC " + normalized + " in Multiline IP Sets");
        }

        return told;
    }

    /// <summary>Deletes the set of a DN (the DN stays in the Telephone Directory), as <see cref="DeleteSet"/> does by MAC.</summary>
    public async Task<int> DeleteSetByDn(string dn)
    {
        FormValidation.DirectoryNumber(dn);
        bool deleted;
        lock (_gate)
        {
            deleted = _forms.MultilineIpSets.DeleteByDn(dn);
        }

        int told = await _registration.RecheckAsync().ConfigureAwait(false) + _registration.Hub.ReleaseSecondary(null, dn, System.Environment.TickCount64);
        if (!deleted && told == 0)
        {
            throw new NotFoundException("no set on DN " + dn + " in Multiline IP Sets");
        }

        return told;
    }

    /// <summary>Clears the MAC of a DN's set and keeps the row; a set registered on it is told to clear its PIN and reset.</summary>
    public async Task<int> ClearSetMac(string dn)
    {
        FormValidation.DirectoryNumber(dn);
        lock (_gate)
        {
            if (!_forms.MultilineIpSets.ClearMac(dn))
            {
                throw new NotFoundException("DN " + dn + " has no set with a MAC in Multiline IP Sets");
            }
        }

        return await _registration.RecheckAsync().ConfigureAwait(false);
    }

    public List<(string Number, int CeidIndex, int? SecondaryCeidIndex)> ListRemote()
    {
        lock (_gate)
        {
            return _forms.ClusterDirectory.ListRemoteDirectoryNumbers();
        }
    }

    public void AddRemote(string number, int ceidIndex, int? secondaryCeidIndex)
    {
        lock (_gate)
        {
            if (!ElementExists(ceidIndex))
            {
                throw new FormException("element " + ceidIndex + " is not in Cluster Elements");
            }

            if (_forms.TelephoneDirectory.Find(number) != null && ceidIndex != _forms.ClusterDirectory.LocalCeidIndex())
            {
                throw new FormException("directory number " + number + " is programmed on this element; it cannot be homed elsewhere");
            }

            _forms.ClusterDirectory.AddRemoteDirectoryNumber(number, ceidIndex, secondaryCeidIndex);
        }
    }

    public void DeleteRemote(string number)
    {
        lock (_gate)
        {
            if (!_forms.ClusterDirectory.DeleteRemoteDirectoryNumber(FormValidation.DirectoryNumber(number)))
            {
                throw new NotFoundException("directory number " + number + " is not in Remote Directory Numbers");
            }
        }

        _registration.Hub.Recheck(System.Environment.TickCount64); // a set registered here as the DN's secondary is released
    }

    public List<(int CeidIndex, string CeidDigits, bool IsLocal, string Address, int Port, string Comment)> ListElements()
    {
        lock (_gate)
        {
            return _forms.ClusterDirectory.ListElements();
        }
    }

    public void AddElement(int ceidIndex, string ceidDigits, string address, int port, string comment)
    {
        if (!System.Net.IPAddress.TryParse(address, out System.Net.IPAddress? parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new FormException("element address must be an IPv4 address, not '" + address + "'");
        }

        if (port < 1 || port > 65535)
        {
            throw new FormException("registration port must be 1 to 65535, not " + port);
        }

        lock (_gate)
        {
            if (ceidIndex == _forms.ClusterDirectory.LocalCeidIndex())
            {
                throw new FormException("element " + ceidIndex + " is this element; change it in the configuration");
            }

            _forms.ClusterDirectory.AddElement(ceidIndex, ceidDigits, false, address, port, comment);
        }
    }

    public (string RegistrationAccessCode, string ReplacementAccessCode, string AutomaticDnRange) SystemOptions()
    {
        lock (_gate)
        {
            return (_forms.SystemOptions.RegistrationAccessCode, _forms.SystemOptions.ReplacementAccessCode, _forms.SystemOptions.AutomaticDnRange);
        }
    }

    public void SetSystemOptions(string? registrationAccessCode, string? replacementAccessCode, string? automaticDnRange)
    {
        lock (_gate)
        {
            string registration = registrationAccessCode ?? _forms.SystemOptions.RegistrationAccessCode;
            string replacement = replacementAccessCode ?? _forms.SystemOptions.ReplacementAccessCode;
            FormValidation.AccessCode(registration, "registration access code");
            FormValidation.AccessCode(replacement, "replacement access code");
            if (registration == replacement)
            {
                throw new FormException("the registration and replacement access codes must differ");
            }

            using Microsoft.Data.Sqlite.SqliteTransaction transaction = _forms.Database.BeginTransaction();
            _forms.SystemOptions.RegistrationAccessCode = registration;
            _forms.SystemOptions.ReplacementAccessCode = replacement;
            if (automaticDnRange != null)
            {
                _forms.SystemOptions.AutomaticDnRange = automaticDnRange;
            }

            transaction.Commit();
        }
    }

    private bool ElementExists(int ceidIndex)
    {
        foreach ((int ceid, string _, bool _, string _, int _, string _) in _forms.ClusterDirectory.ListElements())
        {
            if (ceid == ceidIndex)
            {
                return true;
            }
        }

        return false;
    }
}

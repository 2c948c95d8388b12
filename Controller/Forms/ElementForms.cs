using Controller.Database;

namespace Controller.Forms;

/// <summary>All forms of one element over its database, for the servers and the admin surfaces.</summary>
public sealed class ElementForms
{
    public ElementForms(ElementDatabase database)
    {
        Database = database;
        SystemOptions = new SystemOptions(database);
        TelephoneDirectory = new TelephoneDirectory(database);
        MultilineIpSets = new MultilineIpSets(database);
        ClusterDirectory = new ClusterDirectory(database);
    }

    public ElementDatabase Database { get; }

    public SystemOptions SystemOptions { get; }

    public TelephoneDirectory TelephoneDirectory { get; }

    public MultilineIpSets MultilineIpSets { get; }

    public ClusterDirectory ClusterDirectory { get; }
}

using System;
using System.Globalization;
using System.IO;
using System.Text;
using SipBench;

// sip-bench --assembly PORTABLE_DLL [--refreshes N] [--out FILE]: the phone side's figures as
// markdown (bench/sip/run appends Kamailio's rate under SIPp).
string? assembly = null;
string? output = null;
int refreshes = 1000;
for (int i = 0; i < args.Length; i++)
{
    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException(args[i] + " needs a value");
    switch (args[i])
    {
        case "--assembly": assembly = value; break;
        case "--refreshes": refreshes = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--out": output = value; break;
        default: Console.Error.WriteLine("sip-bench: unknown argument " + args[i]); return 2;
    }

    i++;
}

if (assembly == null || !File.Exists(assembly))
{
    Console.Error.WriteLine("sip-bench: --assembly must name the portable build (Tests/PortabilityGate/bin/Release/netstandard2.0/PhoneFirmware.Portable.dll); got " + (assembly ?? "nothing"));
    return 2;
}

AllocationResult allocation = PhoneAllocation.Measure(refreshes);
CodeSize size = CodeSize.Measure(assembly, "Protocol.Sip");
StringBuilder md = new();
md.AppendLine("# SIP: the phone side and Kamailio (bench/sip/run)");
md.AppendLine();
md.AppendLine("Measured " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC on " + Environment.ProcessorCount + " CPUs, load average " + LoadAverage() + ".");
md.AppendLine();
md.AppendLine("## Phone side, bytes allocated (GC.GetAllocatedBytesForCurrentThread around the protocol calls)");
md.AppendLine();
md.AppendLine("| Operation | Count | Bytes each |");
md.AppendLine("|---|---:|---:|");
md.AppendLine(CultureInfo.InvariantCulture, $"| REGISTER refresh (Poll builds and encodes it; the 200 parsed, OnMessage, PollEvent) | {allocation.Refreshes} | {allocation.PerRefresh:F0} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| — of which Poll: the REGISTER built, its digest, encoded | {allocation.Refreshes} | {allocation.BuildBytes / (double)allocation.Refreshes:F0} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| — of which the 200 parsed (SipMessageParser) | {allocation.Refreshes} | {allocation.ParseBytes / (double)allocation.Refreshes:F0} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| — of which OnMessage and PollEvent | {allocation.Refreshes} | {allocation.HandleBytes / (double)allocation.Refreshes:F0} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| Retransmission (Poll at timer E) | {allocation.Retransmissions} | {allocation.PerRetransmission:F0} |");
md.AppendLine();
md.AppendLine("## Code size, the portable build the gate makes (" + Path.GetFileName(assembly) + ")");
md.AppendLine();
md.AppendLine("| What | Bytes |");
md.AppendLine("|---|---:|");
md.AppendLine(CultureInfo.InvariantCulture, $"| IL of the Protocol.Sip types ({size.NamespaceTypes} types, {size.NamespaceMethods} method bodies) | {size.NamespaceIlBytes} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| IL of every method body in the assembly (all portable code) | {size.AllIlBytes} |");
md.AppendLine(CultureInfo.InvariantCulture, $"| The assembly file | {size.FileBytes} |");
md.AppendLine();
Console.Write(md.ToString());
if (output != null)
{
    File.WriteAllText(output, md.ToString());
}

return 0;

static string LoadAverage()
{
    return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";
}

using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SipBench;

/// <summary>IL bytes of the method bodies in an assembly: all of them, and those of one namespace.</summary>
public sealed class CodeSize
{
    public long FileBytes { get; init; }

    public long AllIlBytes { get; init; }

    public long NamespaceIlBytes { get; init; }

    public int NamespaceTypes { get; init; }

    public int NamespaceMethods { get; init; }

    public static CodeSize Measure(string assembly, string ns)
    {
        using FileStream file = File.OpenRead(assembly);
        using PEReader pe = new(file);
        MetadataReader metadata = pe.GetMetadataReader();
        long all = 0;
        long inNamespace = 0;
        int types = 0;
        int methods = 0;
        foreach (TypeDefinitionHandle handle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            TypeDefinition outer = type;
            while (outer.GetDeclaringType() is { IsNil: false } declaring)
            {
                outer = metadata.GetTypeDefinition(declaring);
            }

            bool ours = metadata.GetString(outer.Namespace) == ns;
            types += ours ? 1 : 0;
            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                MethodDefinition method = metadata.GetMethodDefinition(m);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                int size = pe.GetMethodBody(method.RelativeVirtualAddress).Size;
                all += size;
                if (ours)
                {
                    inNamespace += size;
                    methods++;
                }
            }
        }

        return new CodeSize { FileBytes = new FileInfo(assembly).Length, AllIlBytes = all, NamespaceIlBytes = inNamespace, NamespaceTypes = types, NamespaceMethods = methods };
    }
}

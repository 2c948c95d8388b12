using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Tests.Portability;

/// <summary>
/// Reads a compiled assembly's metadata and lists what nanoFramework 1.x cannot load even though
/// it compiled against its mscorlib: generic types and methods we define, generic instantiations
/// other than mscorlib's own generic delegates, async and iterator state machines, and references
/// to any assembly but mscorlib (and, for the device code, the nanoFramework libraries it is allowed).
/// </summary>
public static class NanoFrameworkAssemblyChecker
{
    public static List<string> FindViolations(string assemblyPath, ISet<string> allowedGenericTypes)
    {
        return FindViolations(assemblyPath, allowedGenericTypes, new HashSet<string>());
    }

    /// <summary>
    /// As above, also allowing references to the named assemblies (the nanoFramework class
    /// libraries the device code calls, stubbed for the device compile check).
    /// </summary>
    public static List<string> FindViolations(string assemblyPath, ISet<string> allowedGenericTypes, ISet<string> allowedReferences)
    {
        List<string> violations = new();
        using FileStream stream = File.OpenRead(assemblyPath);
        using PEReader pe = new(stream);
        MetadataReader md = pe.GetMetadataReader();

        foreach (AssemblyReferenceHandle handle in md.AssemblyReferences)
        {
            string name = md.GetString(md.GetAssemblyReference(handle).Name);
            if (name != "mscorlib" && !allowedReferences.Contains(name))
            {
                violations.Add("references assembly " + name + " (only mscorlib" + (allowedReferences.Count > 0 ? " and the allowed nanoFramework libraries are" : " is") + " allowed)");
            }
        }

        foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
        {
            TypeDefinition type = md.GetTypeDefinition(handle);
            string typeName = FullName(md, type);
            if (type.GetGenericParameters().Count > 0)
            {
                violations.Add("defines generic type " + typeName);
            }

            foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
            {
                string interfaceName = EntityName(md, md.GetInterfaceImplementation(implementation).Interface);
                if (interfaceName.EndsWith("IAsyncStateMachine", StringComparison.Ordinal))
                {
                    violations.Add("async state machine " + typeName);
                }
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = md.GetMethodDefinition(methodHandle);
                if (method.GetGenericParameters().Count > 0)
                {
                    violations.Add("defines generic method " + typeName + "." + md.GetString(method.Name));
                }

                foreach (CustomAttributeHandle attributeHandle in method.GetCustomAttributes())
                {
                    string attribute = AttributeTypeName(md, md.GetCustomAttribute(attributeHandle));
                    if (attribute is "AsyncStateMachineAttribute" or "IteratorStateMachineAttribute" or "AsyncIteratorStateMachineAttribute")
                    {
                        violations.Add(attribute.Replace("Attribute", string.Empty, StringComparison.Ordinal) + " in " + typeName + "." + md.GetString(method.Name));
                    }
                }
            }
        }

        foreach (TypeSpecificationHandle handle in EnumerateTypeSpecifications(md))
        {
            TypeSpecification spec = md.GetTypeSpecification(handle);
            BlobReader blob = md.GetBlobReader(spec.Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                continue; // arrays and the like
            }

            blob.ReadSignatureTypeCode(); // class or valuetype
            EntityHandle generic = blob.ReadTypeHandle();
            string genericName = EntityName(md, generic);
            if (!allowedGenericTypes.Contains(genericName))
            {
                violations.Add("instantiates generic type " + genericName);
            }
        }

        for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            MethodSpecification spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            violations.Add("instantiates generic method " + EntityName(md, spec.Method));
        }

        return violations;
    }

    /// <summary>The generic types a nanoFramework mscorlib defines that are delegates (Action`1, Func`2, ...).</summary>
    public static HashSet<string> GenericDelegatesOf(string mscorlibPath)
    {
        HashSet<string> names = new();
        using FileStream stream = File.OpenRead(mscorlibPath);
        using PEReader pe = new(stream);
        MetadataReader md = pe.GetMetadataReader();
        foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
        {
            TypeDefinition type = md.GetTypeDefinition(handle);
            if (type.GetGenericParameters().Count > 0 && !type.BaseType.IsNil && EntityName(md, type.BaseType) == "System.MulticastDelegate")
            {
                names.Add(FullName(md, type));
            }
        }

        return names;
    }

    private static IEnumerable<TypeSpecificationHandle> EnumerateTypeSpecifications(MetadataReader md)
    {
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            yield return MetadataTokens.TypeSpecificationHandle(row);
        }
    }

    private static string AttributeTypeName(MetadataReader md, CustomAttribute attribute)
    {
        EntityHandle constructor = attribute.Constructor;
        if (constructor.Kind == HandleKind.MemberReference)
        {
            MemberReference member = md.GetMemberReference((MemberReferenceHandle)constructor);
            return ShortName(EntityName(md, member.Parent));
        }

        if (constructor.Kind == HandleKind.MethodDefinition)
        {
            MethodDefinition method = md.GetMethodDefinition((MethodDefinitionHandle)constructor);
            return ShortName(FullName(md, md.GetTypeDefinition(method.GetDeclaringType())));
        }

        return string.Empty;
    }

    private static string ShortName(string fullName)
    {
        int dot = fullName.LastIndexOf('.');
        return dot < 0 ? fullName : fullName.Substring(dot + 1);
    }

    private static string EntityName(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return FullName(md, md.GetTypeDefinition((TypeDefinitionHandle)handle));
            case HandleKind.TypeReference:
                TypeReference reference = md.GetTypeReference((TypeReferenceHandle)handle);
                string ns = md.GetString(reference.Namespace);
                return (ns.Length > 0 ? ns + "." : string.Empty) + md.GetString(reference.Name);
            case HandleKind.MemberReference:
                MemberReference member = md.GetMemberReference((MemberReferenceHandle)handle);
                return EntityName(md, member.Parent) + "::" + md.GetString(member.Name);
            case HandleKind.MethodDefinition:
                MethodDefinition method = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return FullName(md, md.GetTypeDefinition(method.GetDeclaringType())) + "::" + md.GetString(method.Name);
            case HandleKind.TypeSpecification:
                return "(type specification)";
            default:
                return handle.Kind.ToString();
        }
    }

    private static string FullName(MetadataReader md, TypeDefinition type)
    {
        string ns = md.GetString(type.Namespace);
        string name = md.GetString(type.Name);
        if (type.IsNested)
        {
            return FullName(md, md.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
        }

        return (ns.Length > 0 ? ns + "." : string.Empty) + name;
    }
}

using System.IO;

namespace Tests.Support;

/// <summary>The `controller`, `phone` and `hil-runner` programs as built next to these tests (run with `dotnet DLL`).</summary>
public static class BuiltPrograms
{
    public static string Controller => Find("Controller", "controller.dll");

    public static string Phone => Find(Path.Combine("PhoneFirmware", "Host"), "phone.dll");

    public static string HilRunner => Find(Path.Combine("tools", "HilRunner"), "hil-runner.dll");

    private static string Find(string project, string dll)
    {
        string path = Path.Combine(RepositoryPaths.Root, project, "bin", RepositoryPaths.Configuration, "net10.0", dll);
        Assert.IsTrue(File.Exists(path), "not built: " + path);
        return path;
    }
}

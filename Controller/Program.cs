namespace Controller;

public static class Program
{
    public static int Main(string[] args)
    {
        return args.Length;
    }
}

// Reference-only stub. Transcribed from nanoframework/System.Threading@866134ed5ae3 (tag v1.1.52):
// nanoFramework.System.Threading/Threading/CancellationToken.cs, CancellationTokenSource.cs
// (signatures only; the members the device code uses).
namespace System.Threading
{
    public struct CancellationToken
    {
        private CancellationTokenSource _source;

        public CancellationToken(bool canceled) => throw null;

        public static CancellationToken None => throw null;

        public bool IsCancellationRequested => throw null;
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource() => throw null;

        public CancellationTokenSource(int millisecondsDelay) => throw null;

        public bool IsCancellationRequested => throw null;

        public CancellationToken Token => throw null;

        public void Cancel() => throw null;

        public void Dispose() => throw null;
    }
}

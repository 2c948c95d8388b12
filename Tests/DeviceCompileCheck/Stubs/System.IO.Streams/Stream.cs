// Reference-only stub. Transcribed from nanoframework/System.IO.Streams@ff384f9833c4:
// System.IO.Streams/Stream.cs and System.IO.Streams/SeekOrigin.cs (signatures only).
namespace System.IO
{
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }

        public abstract bool CanSeek { get; }

        public abstract bool CanWrite { get; }

        public abstract long Length { get; }

        public abstract long Position { get; set; }

        public virtual void Close() => throw null;

        public void Dispose() => throw null;

        protected virtual void Dispose(bool disposing) => throw null;

        public abstract void Flush();

        public abstract long Seek(long offset, SeekOrigin origin);

        public abstract void SetLength(long value);

        public abstract int Read(SpanByte buffer);

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);
    }

    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }
}

namespace Protocol.Tftp;

/// <summary>Receives a read transfer's bytes in order, straight from the received block.</summary>
public interface ITftpDataSink
{
    void Write(byte[] buffer, int offset, int count);
}

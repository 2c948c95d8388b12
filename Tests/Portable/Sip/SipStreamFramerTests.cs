using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Sip;

[TestClass]
public class SipStreamFramerTests
{
    private const string First = "SIP/2.0 200 OK\r\nCall-ID: one\r\nContent-Length: 3\r\n\r\nabc";
    private const string Second = "OPTIONS sip:h SIP/2.0\r\nCall-ID: two\r\nl: 0\r\n\r\n";

    [TestMethod]
    public void CutsMessagesByteByByteAndSeveralInOneRead()
    {
        byte[] stream = Ascii.GetBytes("\r\n\r\n" + First + Second + "\r\n\r\n");
        SipStreamFramer trickle = new SipStreamFramer();
        int messages = 0;
        for (int i = 0; i < stream.Length; i++)
        {
            trickle.Append(stream, i, 1);
            SipMessage? message = trickle.Take();
            if (message != null)
            {
                messages++;
                Assert.AreEqual(messages == 1 ? "one" : "two", message.Get("Call-ID"));
                Assert.AreEqual(messages == 1 ? First.Length + 4 - 1 : stream.Length - 5, i, "a message is cut when its last byte arrives");
            }
        }

        Assert.AreEqual(2, messages);

        SipStreamFramer whole = new SipStreamFramer();
        whole.Append(stream, 0, stream.Length);
        SipMessage? first = whole.Take();
        SipMessage? second = whole.Take();
        Assert.IsNotNull(first);
        Assert.IsNotNull(second);
        Assert.AreEqual("abc", Ascii.GetPrintableString(first!.Body, 0, 3));
        Assert.AreEqual("two", second!.Get("Call-ID"));
        Assert.IsNull(whole.Take());
    }

    [TestMethod]
    public void AStreamMessageWithoutContentLengthIsAParseError()
    {
        byte[] stream = Ascii.GetBytes("SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n");
        SipStreamFramer framer = new SipStreamFramer();
        AssertThrows.ParseError(() => framer.Append(stream, 0, stream.Length));
    }

    [TestMethod]
    public void AnOverlongMessageIsAParseErrorNotAnUnboundedBuffer()
    {
        SipStreamFramer framer = new SipStreamFramer();
        byte[] head = Ascii.GetBytes("SIP/2.0 200 OK\r\nContent-Length: 20000\r\n\r\n");
        AssertThrows.ParseError(() => framer.Append(head, 0, head.Length));

        SipStreamFramer endless = new SipStreamFramer();
        byte[] line = Ascii.GetBytes("SIP/2.0 200 OK\r\n" + new string('a', 100));
        AssertThrows.ParseError(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                endless.Append(line, 0, line.Length);
            }
        });
    }
}

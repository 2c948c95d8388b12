using System;
using Protocol.Dns;
using Tests.Portable.Support;

namespace Tests.Portable.Dns;

[TestClass]
public class DnsCodecTests
{
    internal static readonly byte[] Query = new byte[]
    {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        2, (byte)'c', (byte)'s', 3, (byte)'l', (byte)'a', (byte)'b', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0,
        0x00, 0x01, 0x00, 0x01,
    };

    /// <summary>What a server answers for cs.lab.test: a CNAME to pbx.lab.test and its A record, names compressed.</summary>
    internal static byte[] Answer()
    {
        byte[] header = new byte[] { 0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00 };
        byte[] question = Bytes.Slice(Query, 12, Query.Length - 12);
        byte[] cname = new byte[] { 0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x06, 3, (byte)'p', (byte)'b', (byte)'x', 0xC0, 0x0F };
        byte[] a = new byte[] { 0xC0, 0x29, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 10, 77, 5, 4 };
        return Bytes.Concat(Bytes.Concat(header, question), Bytes.Concat(cname, a));
    }

    [TestMethod]
    public void EncodesAnAQueryWithRecursionDesired()
    {
        Assert.IsTrue(Bytes.Equal(Query, DnsQuery.Encode(0x1234, "cs.lab.test")), Bytes.Hex(DnsQuery.Encode(0x1234, "cs.lab.test")));
        Assert.IsTrue(Bytes.Equal(Query, DnsQuery.Encode(0x1234, "cs.lab.test.")));
    }

    [TestMethod]
    public void RefusesToEncodeWhatIsNotAHostName()
    {
        string[] bad = new string[] { string.Empty, ".", "a..b", ".a", "a b", "a/b", new string('a', 64) + ".test", new string('a', 250) + ".test" };
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.IsFalse(DnsQuery.IsHostName(bad[i]), bad[i]);
            string name = bad[i];
            AssertThrows.Any(() => DnsQuery.Encode(1, name));
        }

        Assert.IsTrue(DnsQuery.IsHostName(new string('a', 63) + ".lab_1-x.test"));
    }

    [TestMethod]
    public void ReadsTheAddressBehindACompressedCname()
    {
        DnsResponse response = DnsResponse.Parse(Answer(), 0, Answer().Length);
        Assert.AreEqual(0x1234, (int)response.Id);
        Assert.IsTrue(response.IsResponse);
        Assert.IsFalse(response.IsTruncated);
        Assert.AreEqual(0, response.ResponseCode);
        Assert.AreEqual("cs.lab.test", response.QuestionName);
        Assert.AreEqual(1, response.Addresses.Length);
        Assert.AreEqual(0x0A4D0504u, response.Addresses[0]);
    }

    [TestMethod]
    public void ReadsNoSuchNameAndMixedCaseQuestions()
    {
        byte[] answer = Bytes.Concat(new byte[] { 0xAB, 0xCD, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, Bytes.Slice(Query, 12, Query.Length - 12));
        answer[13] = (byte)'C';
        DnsResponse response = DnsResponse.Parse(answer, 0, answer.Length);
        Assert.AreEqual(3, response.ResponseCode);
        Assert.AreEqual("cs.lab.test", response.QuestionName);
        Assert.AreEqual(0, response.Addresses.Length);
    }

    [TestMethod]
    public void MalformedResponsesAreParseErrors()
    {
        byte[] answer = Answer();
        AssertThrows.ParseError(() => DnsResponse.Parse(answer, 0, 11));
        AssertThrows.ParseError(() => DnsResponse.Parse(answer, 0, answer.Length - 1));

        byte[] loop = Answer();
        loop[30] = 0x1D; // the CNAME's owner points at itself
        AssertThrows.ParseError(() => DnsResponse.Parse(loop, 0, loop.Length));

        byte[] forward = Answer();
        forward[30] = 0x30; // points forward
        AssertThrows.ParseError(() => DnsResponse.Parse(forward, 0, forward.Length));

        byte[] extended = Answer();
        extended[12] = 0x42; // label type 01: extended labels are not supported
        AssertThrows.ParseError(() => DnsResponse.Parse(extended, 0, extended.Length));

        byte[] longA = Answer();
        longA[longA.Length - 5] = 3; // A record of 3 bytes
        AssertThrows.ParseError(() => DnsResponse.Parse(longA, 0, longA.Length));

        byte[] counts = Answer();
        counts[6] = 0x01; // 258 answers
        AssertThrows.ParseError(() => DnsResponse.Parse(counts, 0, counts.Length));
    }

    [TestMethod]
    public void ANameOverTwoHundredFiftyFiveBytesIsAParseError()
    {
        byte[] header = new byte[] { 0, 1, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
        byte[] name = new byte[(5 * 64) + 1 + 4];
        for (int label = 0; label < 5; label++)
        {
            name[label * 64] = 63;
            for (int i = 1; i < 64; i++)
            {
                name[(label * 64) + i] = (byte)'a';
            }
        }

        byte[] message = Bytes.Concat(header, name);
        AssertThrows.ParseError(() => DnsResponse.Parse(message, 0, message.Length));
    }
}

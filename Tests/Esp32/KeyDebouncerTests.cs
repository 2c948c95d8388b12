using Hal.Esp32;

namespace Tests.Esp32;

[TestClass]
public class KeyDebouncerTests
{
    [TestMethod]
    public void APressCountsOnceAfterTheRequiredEqualScans()
    {
        KeyDebouncer debouncer = new(2, 0);
        Assert.AreEqual(0, debouncer.Update(0b0100));
        Assert.AreEqual(0b0100, debouncer.Update(0b0100));
        Assert.AreEqual(0, debouncer.Update(0b0100), "a held key is reported once");
        Assert.AreEqual(0, debouncer.Update(0));
        Assert.AreEqual(0, debouncer.Update(0));
        Assert.AreEqual(0, debouncer.Stable);
    }

    [TestMethod]
    public void BounceShorterThanTheRequiredScansIsIgnored()
    {
        KeyDebouncer debouncer = new(3, 0);
        Assert.AreEqual(0, debouncer.Update(1));
        Assert.AreEqual(0, debouncer.Update(0));
        Assert.AreEqual(0, debouncer.Update(1));
        Assert.AreEqual(0, debouncer.Update(1));
        Assert.AreEqual(1, debouncer.Update(1));
    }

    [TestMethod]
    public void ASecondKeyWhileTheFirstIsHeldIsReportedAlone()
    {
        KeyDebouncer debouncer = new(1, 0);
        Assert.AreEqual(0b01, debouncer.Update(0b01));
        Assert.AreEqual(0b10, debouncer.Update(0b11));
    }

    [TestMethod]
    public void AKeyHeldAtStartIsNotAPressUntilReleasedAndPressedAgain()
    {
        const int star = 1 << 12;
        KeyDebouncer debouncer = new(2, star);
        Assert.AreEqual(star, debouncer.Stable);
        Assert.AreEqual(0, debouncer.Update(star), "the '*' held through power-up is not queued");
        Assert.AreEqual(0, debouncer.Update(star));
        Assert.AreEqual(0, debouncer.Update(0));
        Assert.AreEqual(0, debouncer.Update(0));
        Assert.AreEqual(0, debouncer.Stable, "released");
        Assert.AreEqual(0, debouncer.Update(star));
        Assert.AreEqual(star, debouncer.Update(star), "pressed again after the release: a press");
    }
}

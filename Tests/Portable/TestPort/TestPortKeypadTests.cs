using Hal;
using PhoneFirmware.Core.TestPort;

namespace Tests.Portable.TestPort;

/// <summary>The board's keypad with the test port's keys and held '*' mixed in.</summary>
[TestClass]
public class TestPortKeypadTests
{
    [TestMethod]
    public void InjectedKeysComeFirstThenTheBoardsOwn()
    {
        BoardKeypad board = new BoardKeypad();
        TestPortKeypad keypad = new TestPortKeypad(board);
        Assert.IsTrue(keypad.Press("12#"));
        board.Next = '9';
        Assert.AreEqual('1', keypad.ReadKey());
        Assert.AreEqual('2', keypad.ReadKey());
        Assert.AreEqual('#', keypad.ReadKey());
        Assert.AreEqual('9', keypad.ReadKey());
        Assert.AreEqual(Keys.None, keypad.ReadKey());
    }

    [TestMethod]
    public void TheConfirmAndBackspaceKeysAreQueuedLikeDialKeys()
    {
        TestPortKeypad keypad = new TestPortKeypad(new BoardKeypad());
        Assert.IsTrue(keypad.Press("1" + Keys.Backspace + "2" + Keys.Confirm));
        Assert.AreEqual('1', keypad.ReadKey());
        Assert.AreEqual(Keys.Backspace, keypad.ReadKey());
        Assert.AreEqual('2', keypad.ReadKey());
        Assert.AreEqual(Keys.Confirm, keypad.ReadKey());
        Assert.IsFalse(keypad.Press("1\r"));
    }

    [TestMethod]
    public void KeysThatDoNotAllFitOrAreNotKeysAreRefusedWhole()
    {
        TestPortKeypad keypad = new TestPortKeypad(new BoardKeypad());
        string full = string.Empty;
        for (int i = 0; i < TestPortKeypad.Capacity - 1; i++)
        {
            full += "5";
        }

        Assert.IsTrue(keypad.Press(full));
        Assert.IsFalse(keypad.Press("12"));
        Assert.IsFalse(new TestPortKeypad(new BoardKeypad()).Press("1A"));
        Assert.IsTrue(keypad.Press("7"));
        for (int i = 0; i < TestPortKeypad.Capacity - 1; i++)
        {
            Assert.AreEqual('5', keypad.ReadKey());
        }

        Assert.AreEqual('7', keypad.ReadKey());
    }

    [TestMethod]
    public void StarCanBeHeldAsIfAFingerWereOnIt()
    {
        BoardKeypad board = new BoardKeypad();
        TestPortKeypad keypad = new TestPortKeypad(board);
        Assert.IsFalse(keypad.IsHeld(Keys.Star));
        keypad.HoldStar(true);
        Assert.IsTrue(keypad.IsHeld(Keys.Star));
        Assert.IsFalse(keypad.IsHeld('1'));
        keypad.HoldStar(false);
        board.Held = Keys.Star;
        Assert.IsTrue(keypad.IsHeld(Keys.Star));
    }

    private sealed class BoardKeypad : IKeypad
    {
        public char Next { get; set; } = Keys.None;

        public char Held { get; set; } = Keys.None;

        public char ReadKey()
        {
            char key = Next;
            Next = Keys.None;
            return key;
        }

        public bool IsHeld(char key)
        {
            return key == Held;
        }
    }
}

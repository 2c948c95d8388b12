// Reference-only stub. Transcribed from nanoframework/nanoFramework.TestFramework@d4fa55eb58a9:
// source/TestFramework/Assert.cs, Assert.AreEqual.cs, Assert.AreNotEqual.cs, source/TestFrameworkShared/TestClassAttribute.cs,
// TestMethodAttribute.cs, SetupAttribute.cs, CleanupAttribute.cs (signatures only; the Assert members
// listed are the ones MSTest shares, which is all the portable tests may use).
using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) => throw null;
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }

    public sealed partial class Assert
    {
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null;

        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null;

        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null;

        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null;

        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(char notExpected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(DateTime notExpected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(double notExpected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(float notExpected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(sbyte notExpected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(short notExpected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(uint notExpected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(ulong notExpected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreNotEqual(ushort notExpected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(double expected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(float expected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;

        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
    }
}

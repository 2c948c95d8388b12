// The portable tests (Tests/Portable/**) name no test framework; each side supplies it once:
// Tests/HostGlobalUsings.cs for MSTest, this file for nanoFramework.TestFramework. `global using`
// is compile-time only (C# 10, LangVersion latest in Tests.Device.nfproj), so the device runtime
// never sees it. Tests/DeviceCompileCheck/TestSources compiles the same pair on every build.
global using nanoFramework.TestFramework;

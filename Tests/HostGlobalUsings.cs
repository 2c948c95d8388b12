// The portable tests name no test framework; each side supplies it here
// (the device test project has `global using nanoFramework.TestFramework;`).
global using Microsoft.VisualStudio.TestTools.UnitTesting;

// Integration and interop tests start servers and network namespaces; run classes one at a time.
[assembly: DoNotParallelize]

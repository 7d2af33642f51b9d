global using Xunit;
global using Unroll.Tests.Shared;

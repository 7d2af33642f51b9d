global using Unroll.Tests.Shared;

using Xunit;

namespace Unroll.Runtime.Tests.Training;

public class ProgressPrinterTests
{
    [Fact]
    public void TheBarFillsInProportion()
    {
        Assert.Equal(" 0/50 [..............................]", ProgressPrinter.Bar(0, 50));
        Assert.Equal("25/50 [==============>...............]", ProgressPrinter.Bar(25, 50));
        Assert.Equal("50/50 [==============================]", ProgressPrinter.Bar(50, 50));
    }
}

namespace Unroll.Generator
{
    internal static class TrackingNames
    {
        public const string Models = "Models";
    }
}

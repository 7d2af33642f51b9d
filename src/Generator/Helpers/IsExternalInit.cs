namespace System.Runtime.CompilerServices
{
    // Lets netstandard2.0 compile records and init-only setters.
    internal static class IsExternalInit
    {
    }
}

using System;

namespace Unroll
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of gzip members and PNG chunks.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>The state before any byte.</summary>
        public const uint Start = 0xFFFFFFFFu;

        public static uint Update(uint state, ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes)
                state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
            return state;
        }

        public static uint Finish(uint state) => ~state;

        /// <summary>The CRC-32 of <paramref name="bytes"/>.</summary>
        public static uint Of(ReadOnlySpan<byte> bytes) => Finish(Update(Start, bytes));

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++)
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[i] = c;
            }
            return table;
        }
    }
}

"""Marks the libstdc++ symbol-version requirements that this machine's libstdc++ cannot meet as weak (VER_FLG_WEAK) in
a copy of a shared library, so that the dynamic loader accepts it.

Why: TorchSharp 0.107.0's libLibTorchSharp.so was built with GCC 13 and requires GLIBCXX_3.4.32, which Debian 12's
libstdc++ (GCC 12, up to GLIBCXX_3.4.30) lacks, so loading it fails with "version `GLIBCXX_3.4.32' not found". The
only symbol of that version is `std::ios_base_library_init()`, a marker that GCC 13 references from every translation
unit including <iostream> and that nothing calls: no relocation names it. glibc's loader only reports a missing
version whose Vernaux entry has VER_FLG_WEAK set (dl-version.c, match_symbol), so setting that flag is enough.

The script edits the file in place (run it on the build output's copy, never on the NuGet cache), changes only the
vna_flags of the unmet entries, is idempotent, and refuses to weaken a version if any relocation refers to a symbol
of that version (then the symbol would really be needed). It is a no-op where the system libstdc++ defines every
required version.

Usage: python3 weaken_glibcxx.py LIBRARY.so [--libstdcxx PATH]"""
import argparse
import os
import struct
import subprocess
import sys

SHT_RELA, SHT_DYNSYM, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 4, 11, 0x6FFFFFFE, 0x6FFFFFFF
VER_FLG_WEAK = 0x2


def system_libstdcxx():
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.strip().startswith("libstdc++.so.6 ") and "x86-64" in line:
                return line.split("=>")[-1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    for path in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"):
        if os.path.exists(path):
            return path
    sys.exit("weaken_glibcxx: cannot find the system libstdc++.so.6; pass --libstdcxx")


class Elf:
    def __init__(self, data):
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit("weaken_glibcxx: not a little-endian ELF64 file")
        self.data = data
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        self.sections = []
        for i in range(shnum):
            name, stype, flags, addr, offset, size, link, info, align, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", data, shoff + i * shentsize)
            self.sections.append(dict(type=stype, offset=offset, size=size, link=link, entsize=entsize))

    def of_type(self, stype):
        return [s for s in self.sections if s["type"] == stype]

    def cstr(self, strtab, index):
        start = strtab["offset"] + index
        return self.data[start:self.data.index(b"\0", start)].decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library")
    parser.add_argument("--libstdcxx", default=None, help="the libstdc++.so.6 to check against (default: the system's)")
    args = parser.parse_args()

    libstdcxx = args.libstdcxx or system_libstdcxx()
    with open(libstdcxx, "rb") as f:
        provided = f.read()
    with open(args.library, "rb") as f:
        data = bytearray(f.read())
    elf = Elf(data)

    verneed = elf.of_type(SHT_GNU_VERNEED)
    if not verneed:
        print(f"weaken_glibcxx: {args.library} has no version requirements")
        return
    verneed = verneed[0]
    strtab = elf.sections[verneed["link"]]

    # Walk Verneed (vn_version, vn_cnt, vn_file, vn_aux, vn_next) and its Vernaux (vna_hash, vna_flags, vna_other,
    # vna_name, vna_next) entries; collect the libstdc++ ones that the system library does not define.
    unmet = []  # (offset of vna_flags, name, flags, version index)
    offset = verneed["offset"]
    while True:
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, offset)
        if elf.cstr(strtab, vn_file) == "libstdc++.so.6":
            aux = offset + vn_aux
            for _ in range(vn_cnt):
                vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                name = elf.cstr(strtab, vna_name)
                if name.encode() + b"\0" not in provided:
                    unmet.append((aux + 4, name, vna_flags, vna_other))
                if not vna_next:
                    break
                aux += vna_next
        if not vn_next:
            break
        offset += vn_next

    if not unmet:
        print(f"weaken_glibcxx: {libstdcxx} defines every libstdc++ version {os.path.basename(args.library)} requires; "
              "nothing to do")
        return

    # Which dynamic symbols carry each unmet version, and is any of them the target of a relocation?
    dynsym = elf.of_type(SHT_DYNSYM)[0]
    dynstr = elf.sections[dynsym["link"]]
    versym = elf.of_type(SHT_GNU_VERSYM)[0]
    count = dynsym["size"] // dynsym["entsize"]
    versions = struct.unpack_from(f"<{count}H", data, versym["offset"])
    relocated = set()
    for rela in elf.of_type(SHT_RELA):
        for i in range(rela["size"] // rela["entsize"]):
            r_offset, r_info, r_addend = struct.unpack_from("<QQq", data, rela["offset"] + i * rela["entsize"])
            relocated.add(r_info >> 32)

    for flags_at, name, flags, index in unmet:
        symbols = [i for i in range(count) if versions[i] & 0x7FFF == index]
        names = [elf.cstr(dynstr, struct.unpack_from("<I", data, dynsym["offset"] + i * dynsym["entsize"])[0])
                 for i in symbols]
        used = [n for i, n in zip(symbols, names) if i in relocated]
        if used:
            sys.exit(f"weaken_glibcxx: {name} is not in {libstdcxx}, and relocations refer to its symbols {used}: "
                     "weakening it would only move the failure; run where a newer libstdc++ exists")
        if flags & VER_FLG_WEAK:
            print(f"weaken_glibcxx: {name} already weak ({', '.join(names)})")
            continue
        struct.pack_into("<H", data, flags_at, flags | VER_FLG_WEAK)
        print(f"weaken_glibcxx: {name} marked weak in {args.library} (its symbols, none relocated: {', '.join(names)})")

    tmp = args.library + ".weaken-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, os.stat(args.library).st_mode)
    os.replace(tmp, args.library)


if __name__ == "__main__":
    main()

// qp-elf-weaken: marks one version-need entry (an Elf64_Vernaux in .gnu.version_r) weak.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 for a single
// symbol, std::ios_base_library_init(), a link-time marker that no relocation uses. Hosts whose
// libstdc++ stops at 3.4.30 (Debian 12, Ubuntu 22.04) then refuse to load the library. A weak
// version need (VER_FLG_WEAK) lets the loader accept the library when the version is absent,
// which is safe exactly when no relocation binds a symbol of that version.
//
// Decisions (printed as the first word on stdout):
//   not-needed     the file does not need the version: nothing to do            exit 0
//   host-provides  the host libstdc++ defines the version: nothing to do         exit 0
//   already-weak   the need is already weak: nothing to do                       exit 0
//   patched        the flag was set (written to a temp file, then renamed)       exit 0
//   would-patch    as patched, under --dry-run                                   exit 0
//   refused        a relocation references a symbol of that version: unsafe     exit 3
//   error          bad arguments or a malformed file                             exit 2
//
// The file is replaced through rename, so a hard link into a package cache is never edited.
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/stat.h>
#include <utime.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct ElfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<unsigned char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ElfError("cannot open '" + path + "'");
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

template <typename T>
T read_at(const std::vector<unsigned char>& bytes, uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T))
    throw ElfError("truncated ELF: read of " + std::to_string(sizeof(T)) + " bytes at offset " + std::to_string(offset));
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

struct Elf {
  std::vector<unsigned char> bytes;
  Elf64_Ehdr header{};
  std::vector<Elf64_Shdr> sections;

  explicit Elf(std::vector<unsigned char> content) : bytes(std::move(content)) {
    if (bytes.size() < sizeof(Elf64_Ehdr) || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
      throw ElfError("not an ELF file");
    if (bytes[EI_CLASS] != ELFCLASS64 || bytes[EI_DATA] != ELFDATA2LSB)
      throw ElfError("only 64-bit little-endian ELF files are supported");
    header = read_at<Elf64_Ehdr>(bytes, 0);
    if (header.e_shentsize != sizeof(Elf64_Shdr)) throw ElfError("unexpected section header size");
    for (uint16_t i = 0; i < header.e_shnum; ++i)
      sections.push_back(read_at<Elf64_Shdr>(bytes, header.e_shoff + uint64_t{i} * sizeof(Elf64_Shdr)));
  }

  const Elf64_Shdr* find(uint32_t type) const {
    for (const auto& s : sections)
      if (s.sh_type == type) return &s;
    return nullptr;
  }

  std::string string_at(const Elf64_Shdr& strtab, uint64_t index) const {
    if (index >= strtab.sh_size) throw ElfError("string index out of range");
    const uint64_t start = strtab.sh_offset + index;
    uint64_t end = start;
    while (end < bytes.size() && bytes[end] != 0) ++end;
    return std::string(reinterpret_cast<const char*>(bytes.data() + start), end - start);
  }
};

// Names of the versions an object defines (.gnu.version_d).
std::set<std::string> defined_versions(const Elf& elf) {
  std::set<std::string> names;
  const Elf64_Shdr* verdef = elf.find(SHT_GNU_verdef);
  if (verdef == nullptr) return names;
  const Elf64_Shdr& strtab = elf.sections.at(verdef->sh_link);
  uint64_t offset = verdef->sh_offset;
  for (uint64_t i = 0; i < verdef->sh_info; ++i) {
    const auto def = read_at<Elf64_Verdef>(elf.bytes, offset);
    if (def.vd_cnt > 0) {
      const auto aux = read_at<Elf64_Verdaux>(elf.bytes, offset + def.vd_aux);
      names.insert(elf.string_at(strtab, aux.vda_name));
    }
    if (def.vd_next == 0) break;
    offset += def.vd_next;
  }
  return names;
}

struct Need {
  uint64_t aux_offset = 0;  // file offset of the Elf64_Vernaux
  Elf64_Vernaux aux{};
  std::string file;
};

std::vector<Need> find_needs(const Elf& elf, const std::string& version) {
  std::vector<Need> found;
  const Elf64_Shdr* verneed = elf.find(SHT_GNU_verneed);
  if (verneed == nullptr) return found;
  const Elf64_Shdr& strtab = elf.sections.at(verneed->sh_link);
  uint64_t offset = verneed->sh_offset;
  for (uint64_t i = 0; i < verneed->sh_info; ++i) {
    const auto need = read_at<Elf64_Verneed>(elf.bytes, offset);
    uint64_t aux_offset = offset + need.vn_aux;
    for (uint16_t k = 0; k < need.vn_cnt; ++k) {
      const auto aux = read_at<Elf64_Vernaux>(elf.bytes, aux_offset);
      if (elf.string_at(strtab, aux.vna_name) == version)
        found.push_back({aux_offset, aux, elf.string_at(strtab, need.vn_file)});
      if (aux.vna_next == 0) break;
      aux_offset += aux.vna_next;
    }
    if (need.vn_next == 0) break;
    offset += need.vn_next;
  }
  return found;
}

// Dynamic symbols bound to the given version index, and the subset that relocations reference.
struct Usage {
  std::vector<std::string> symbols;
  std::vector<std::string> relocated;
};

Usage symbols_of_version(const Elf& elf, uint16_t version_index) {
  Usage usage;
  const Elf64_Shdr* dynsym = elf.find(SHT_DYNSYM);
  const Elf64_Shdr* versym = elf.find(SHT_GNU_versym);
  if (dynsym == nullptr || versym == nullptr) return usage;
  const Elf64_Shdr& strtab = elf.sections.at(dynsym->sh_link);
  const uint64_t count = dynsym->sh_size / sizeof(Elf64_Sym);
  std::vector<bool> of_version(count, false);
  for (uint64_t i = 0; i < count; ++i) {
    const auto v = read_at<uint16_t>(elf.bytes, versym->sh_offset + i * sizeof(uint16_t));
    if ((v & 0x7fff) == version_index) {
      of_version[i] = true;
      const auto sym = read_at<Elf64_Sym>(elf.bytes, dynsym->sh_offset + i * sizeof(Elf64_Sym));
      usage.symbols.push_back(elf.string_at(strtab, sym.st_name));
    }
  }
  const auto dynsym_index = static_cast<uint32_t>(dynsym - elf.sections.data());
  std::set<uint64_t> seen;
  for (const auto& s : elf.sections) {
    if ((s.sh_type != SHT_RELA && s.sh_type != SHT_REL) || s.sh_link != dynsym_index) continue;
    const uint64_t entsize = s.sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
    for (uint64_t off = 0; off + entsize <= s.sh_size; off += entsize) {
      const auto info = read_at<uint64_t>(elf.bytes, s.sh_offset + off + sizeof(uint64_t));
      const uint64_t sym = ELF64_R_SYM(info);
      if (sym < count && of_version[sym] && seen.insert(sym).second) {
        const auto entry = read_at<Elf64_Sym>(elf.bytes, dynsym->sh_offset + sym * sizeof(Elf64_Sym));
        usage.relocated.push_back(elf.string_at(strtab, entry.st_name));
      }
    }
  }
  return usage;
}

// Path of the libstdc++ the dynamic loader resolves for this process.
std::string loaded_library_path(const std::string& soname) {
  void* handle = dlopen(soname.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) handle = dlopen(soname.c_str(), RTLD_LAZY);
  if (handle == nullptr) throw ElfError("cannot locate host " + soname + ": " + dlerror());
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) throw ElfError("dlinfo failed for " + soname);
  return map->l_name;
}

void write_replacing(const std::string& path, const std::vector<unsigned char>& bytes) {
  struct stat original {};
  if (stat(path.c_str(), &original) != 0) throw ElfError("cannot stat '" + path + "'");
  const std::string temp = path + ".qp-elf-weaken.tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw ElfError("cannot write '" + temp + "'");
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      throw ElfError("failed writing '" + temp + "'");
    }
  }
  chmod(temp.c_str(), original.st_mode & 07777);
  // Keep the original timestamp so incremental copies treat the file as up to date.
  struct utimbuf times {original.st_atime, original.st_mtime};
  utime(temp.c_str(), &times);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw ElfError("cannot replace '" + path + "'");
  }
}

void usage() {
  std::cerr << "usage: qp-elf-weaken <shared-object> --version NAME [--host-lib PATH | --host-soname SONAME] [--dry-run]\n"
               "  Marks the need for version NAME weak when the host library lacks it and no relocation\n"
               "  uses a symbol of that version. --host-lib defaults to the libstdc++.so.6 the loader resolves.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string target, version, host_lib, host_soname = "libstdc++.so.6";
  bool dry_run = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw ElfError("missing value after " + arg);
      return argv[++i];
    };
    try {
      if (arg == "--version") version = value();
      else if (arg == "--host-lib") host_lib = value();
      else if (arg == "--host-soname") host_soname = value();
      else if (arg == "--dry-run") dry_run = true;
      else if (arg == "-h" || arg == "--help") { usage(); return 0; }
      else if (!arg.empty() && arg[0] == '-') throw ElfError("unknown option " + arg);
      else if (target.empty()) target = arg;
      else throw ElfError("more than one file given");
    } catch (const ElfError& e) {
      std::cout << "error " << e.what() << "\n";
      usage();
      return 2;
    }
  }
  if (target.empty() || version.empty()) {
    std::cout << "error missing file or --version\n";
    usage();
    return 2;
  }
  try {
    Elf elf(read_file(target));
    std::vector<Need> needs = find_needs(elf, version);
    if (needs.empty()) {
      std::cout << "not-needed " << target << " does not need " << version << "\n";
      return 0;
    }
    if (host_lib.empty()) host_lib = loaded_library_path(host_soname);
    const Elf host(read_file(host_lib));
    if (defined_versions(host).count(version) != 0) {
      std::cout << "host-provides " << host_lib << " defines " << version << "\n";
      return 0;
    }
    bool all_weak = true;
    for (const auto& need : needs) all_weak = all_weak && (need.aux.vna_flags & VER_FLG_WEAK) != 0;
    if (all_weak) {
      std::cout << "already-weak " << version << " is already a weak need of " << target << "\n";
      return 0;
    }
    for (const auto& need : needs) {
      const Usage used = symbols_of_version(elf, need.aux.vna_other);
      if (!used.relocated.empty()) {
        std::ostringstream list;
        for (const auto& s : used.relocated) list << ' ' << s;
        std::cout << "refused relocations reference symbols of " << version << " (" << need.file << "):" << list.str()
                  << "; the host " << host_lib << " lacks that version, so weakening would leave them unresolved."
                  << " Install a libstdc++ that provides " << version << " instead.\n";
        return 3;
      }
    }
    std::ostringstream symbols;
    for (auto& need : needs) {
      for (const auto& s : symbols_of_version(elf, need.aux.vna_other).symbols) symbols << ' ' << s;
      need.aux.vna_flags |= VER_FLG_WEAK;
      std::memcpy(elf.bytes.data() + need.aux_offset, &need.aux, sizeof(need.aux));
    }
    if (dry_run) {
      std::cout << "would-patch " << version << " of " << target << " (unrelocated symbols:" << symbols.str() << ")\n";
      return 0;
    }
    write_replacing(target, elf.bytes);
    std::cout << "patched " << version << " of " << target << " marked weak (unrelocated symbols:" << symbols.str() << ")\n";
    return 0;
  } catch (const std::exception& e) {
    std::cout << "error " << e.what() << "\n";
    return 2;
  }
}

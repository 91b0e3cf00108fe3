#pragma once
// The eBPF backend (built with -DRUSTNET_EBPF=ON): cgroup socket hooks attached to the
// cgroup v2 root report socket(), bind(), connect(), sendmsg() and the last close of every
// TCP/UDP socket with the calling process, through a ring buffer. See attrib.bpf.c.
#include <filesystem>
#include <memory>
#include <string>

#include "process/owner_hints.h"

namespace rustnet::process::ebpf {

// Loads and attaches the programs; null with the reason when this kernel or these
// privileges do not allow it (the caller then uses sock_diag / procfs alone).
std::unique_ptr<OwnerHints> openHints(const std::filesystem::path& procRoot, std::string& error);

}  // namespace rustnet::process::ebpf

#include "e2e/netns.h"

#include <unistd.h>

#include "support/test_support.h"

namespace rustnet::test {

NetnsPair::NetnsPair() {
  const std::string tag = std::to_string(::getpid());
  nsA_ = "rn-a-" + tag;
  nsB_ = "rn-b-" + tag;
  vethA_ = "rna" + tag;
  vethB_ = "rnb" + tag;
  if (::geteuid() != 0) {
    reason_ = "needs root to create network namespaces";
    return;
  }
  if (runCommand("command -v ip >/dev/null").status != 0) {
    reason_ = "needs iproute2 (ip)";
    return;
  }
  const std::string script =
      "set -e; ip netns add " + nsA_ + "; ip netns add " + nsB_ +
      "; ip link add " + vethA_ + " netns " + nsA_ + " type veth peer name " + vethB_ + " netns " + nsB_ +
      // No IPv6 on the link: router solicitations and MLD reports would add unplanned rows.
      "; ip netns exec " + nsA_ + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1" +
      "; ip netns exec " + nsB_ + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1" +
      "; ip -n " + nsA_ + " addr add " + kAddrA + "/24 dev " + vethA_ +
      "; ip -n " + nsB_ + " addr add " + kAddrB + "/24 dev " + vethB_ +
      "; ip -n " + nsA_ + " link set lo up; ip -n " + nsB_ + " link set lo up" +
      "; ip -n " + nsA_ + " link set " + vethA_ + " up; ip -n " + nsB_ + " link set " + vethB_ + " up 2>&1";
  const auto r = runCommand("( " + script + " ) 2>&1");
  if (r.status != 0) reason_ = "could not create namespaces: " + r.out;
}

NetnsPair::~NetnsPair() {
  // A test that failed half-way leaves its processes running; they die with the namespaces.
  // Only processes inside the two namespaces this object made are signalled.
  for (const auto* ns : {&nsA_, &nsB_})
    runCommand("ip netns pids " + *ns + " 2>/dev/null | xargs -r kill -KILL 2>/dev/null");
  runCommand("ip netns del " + nsA_ + " 2>/dev/null; ip netns del " + nsB_ + " 2>/dev/null");
}

}  // namespace rustnet::test

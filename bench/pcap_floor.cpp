// The floor for reading a capture file: libpcap's own loop reading every frame and doing
// nothing else. bench/compare.sh measures rustnet and ndpiReader against it; no reader of
// the same file through libpcap can be faster than this.
// usage: pcap_floor FILE   → prints "packets N bytes B checksum C" on stdout
#include <pcap.h>

#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pcap_floor FILE\n");
    return 2;
  }
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(argv[1], err);
  if (p == nullptr) {
    std::fprintf(stderr, "pcap_floor: %s\n", err);
    return 1;
  }
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  // Summing the first byte of each frame forces the frame's data to be read, as any real
  // reader must, and keeps the compiler from dropping the loop body.
  std::uint64_t checksum = 0;
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
    ++packets;
    bytes += hdr->caplen;
    if (hdr->caplen > 0) checksum += data[0];
  }
  if (rc == PCAP_ERROR) {
    std::fprintf(stderr, "pcap_floor: %s (after %llu packets)\n", pcap_geterr(p),
                 static_cast<unsigned long long>(packets));
    pcap_close(p);
    return 1;
  }
  pcap_close(p);
  std::printf("packets %llu bytes %llu checksum %llu\n", static_cast<unsigned long long>(packets),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(checksum));
  return 0;
}

// jemalloc's built-in options for the rustnet binary (linked only with RUSTNET_JEMALLOC;
// MALLOC_CONF in the environment still overrides them):
//  - narenas:1  one arena for every thread. The connection facts a worker allocates are
//    freed by the front end thread, so per-thread arenas only spread the heap thin.
//  - thp:always the heap is offered to the kernel as transparent huge pages (where the
//    system allows them at all). A tracked connection's DPI facts are a handful of small
//    objects; at tens of thousands of connections the heap grows by tens of MiB, and first
//    touches of 4 KiB pages cost ~10 µs each in the VMs we measured on: on the bench capture
//    this is 11,000 page faults -> 1,800 and about a fifth of the run time, for ~5 MiB more
//    resident memory (docs/performance.md).
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "narenas:1,thp:always";
}

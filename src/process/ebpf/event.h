/* One record from the eBPF programs to user space (shared by attrib.bpf.c and C++).
 * Addresses are in network byte order; IPv4 uses the first word. Ports are host order. */
#ifndef RUSTNET_PROCESS_EBPF_EVENT_H
#define RUSTNET_PROCESS_EBPF_EVENT_H

#define RUSTNET_EV_CREATE 1  /* socket() */
#define RUSTNET_EV_CONNECT 2 /* connect(): remote known, local port often not yet */
#define RUSTNET_EV_SEND 3    /* sendmsg() with an address (unconnected UDP) */
#define RUSTNET_EV_BIND 4    /* bind() finished: local address and port */
#define RUSTNET_EV_RELEASE 5 /* last close: the socket's final local and remote endpoint */

#define RUSTNET_COMM_LEN 16

struct rustnet_sock_event {
  __u64 cookie;
  __u32 tgid;
  __u32 pid;
  __u32 uid;
  __u8 kind;
  __u8 family; /* AF_INET or AF_INET6 */
  __u8 proto;  /* IPPROTO_TCP or IPPROTO_UDP */
  __u8 pad;
  __u32 local_ip[4];
  __u32 remote_ip[4];
  __u16 local_port;
  __u16 remote_port;
  char comm[RUSTNET_COMM_LEN];
};

#endif

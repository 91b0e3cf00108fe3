// SPDX-License-Identifier: GPL-2.0
// Socket ownership events for rustnet. Only cgroup socket hooks are used: this kernel has no
// kprobes and refuses fentry, and these hooks run in the calling process's context, so the
// current pid/tgid/comm are the socket's user. Every hook allows the operation (returns 1).
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "event.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

char LICENSE[] SEC("license") = "GPL";

// Set by user space before loading: the cookie of rustnet's own network namespace. Sockets of
// other namespaces are not reported. Their addresses can repeat ours (containers, test
// namespaces using the same ranges) and sock_diag never shows them, so a record of one
// closing would name a process that owns none of the connections rustnet sees.
const volatile __u64 target_netns = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

// Events lost because user space fell behind (read by user space, shown as a counter).
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} lost SEC(".maps");

// Unconnected UDP sockets fire sendmsg for every datagram: report a socket again only when a
// different process sends on it.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, __u64);
  __type(value, __u32);
} sent SEC(".maps");

static __always_inline struct rustnet_sock_event *reserve(__u8 kind, __u32 family, __u32 proto) {
  if ((family != AF_INET && family != AF_INET6) ||
      (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
    return 0;
  struct rustnet_sock_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    __u32 k = 0;
    __u64 *n = bpf_map_lookup_elem(&lost, &k);
    if (n) __sync_fetch_and_add(n, 1);
    return 0;
  }
  __u64 id = bpf_get_current_pid_tgid();
  e->tgid = id >> 32;
  e->pid = (__u32)id;
  e->uid = (__u32)bpf_get_current_uid_gid();
  e->kind = kind;
  e->family = family;
  e->proto = proto;
  e->pad = 0;
  __builtin_memset(e->local_ip, 0, sizeof(e->local_ip));
  __builtin_memset(e->remote_ip, 0, sizeof(e->remote_ip));
  e->local_port = 0;
  e->remote_port = 0;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  return e;
}

static __always_inline void fill_from_sock(struct rustnet_sock_event *e, struct bpf_sock *sk) {
  e->remote_port = bpf_ntohs(sk->dst_port);
  if (e->family == AF_INET) {
    e->remote_ip[0] = sk->dst_ip4;
  } else {
    e->remote_ip[0] = sk->dst_ip6[0];
    e->remote_ip[1] = sk->dst_ip6[1];
    e->remote_ip[2] = sk->dst_ip6[2];
    e->remote_ip[3] = sk->dst_ip6[3];
  }
  // The verifier lets only post_bind programs read the source fields of the context (and only
  // those of their own family), but the context of a cgroup sock program is the kernel's
  // struct sock: read them from there (CO-RE) in every program alike.
  struct sock *ks = (struct sock *)sk;
  e->local_port = BPF_CORE_READ(ks, __sk_common.skc_num);
  if (e->family == AF_INET) {
    e->local_ip[0] = BPF_CORE_READ(ks, __sk_common.skc_rcv_saddr);
  } else {
    BPF_CORE_READ_INTO(&e->local_ip, ks, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
  }
}

static __always_inline int on_sock(struct bpf_sock *sk, __u8 kind) {
  if (bpf_get_netns_cookie(sk) != target_netns) return 1;
  __u64 cookie = bpf_get_socket_cookie(sk);
  if (kind == RUSTNET_EV_RELEASE) bpf_map_delete_elem(&sent, &cookie);
  struct rustnet_sock_event *e = reserve(kind, sk->family, sk->protocol);
  if (!e) return 1;
  e->cookie = cookie;
  if (kind != RUSTNET_EV_CREATE) fill_from_sock(e, sk);
  bpf_ringbuf_submit(e, 0);
  return 1;
}

SEC("cgroup/sock_create")
int rustnet_sock_create(struct bpf_sock *sk) { return on_sock(sk, RUSTNET_EV_CREATE); }

SEC("cgroup/sock_release")
int rustnet_sock_release(struct bpf_sock *sk) { return on_sock(sk, RUSTNET_EV_RELEASE); }

SEC("cgroup/post_bind4")
int rustnet_post_bind4(struct bpf_sock *sk) { return on_sock(sk, RUSTNET_EV_BIND); }

SEC("cgroup/post_bind6")
int rustnet_post_bind6(struct bpf_sock *sk) { return on_sock(sk, RUSTNET_EV_BIND); }

// `v6` is a constant at every call site, so each program only touches the context fields of
// its own family (the verifier refuses the others).
static __always_inline int on_addr(struct bpf_sock_addr *ctx, __u8 kind, const int v6) {
  if (bpf_get_netns_cookie(ctx) != target_netns) return 1;
  __u64 cookie = bpf_get_socket_cookie(ctx);
  if (kind == RUSTNET_EV_SEND) {
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    __u32 *last = bpf_map_lookup_elem(&sent, &cookie);
    if (last && *last == tgid) return 1;
    bpf_map_update_elem(&sent, &cookie, &tgid, BPF_ANY);
  }
  struct rustnet_sock_event *e = reserve(kind, ctx->family, ctx->protocol);
  if (!e) return 1;
  e->cookie = cookie;
  struct bpf_sock *sk = ctx->sk;
  if (sk) {
    e->local_port = sk->src_port;
    if (!v6) {
      e->local_ip[0] = sk->src_ip4;
    } else {
      e->local_ip[0] = sk->src_ip6[0];
      e->local_ip[1] = sk->src_ip6[1];
      e->local_ip[2] = sk->src_ip6[2];
      e->local_ip[3] = sk->src_ip6[3];
    }
  }
  e->remote_port = bpf_ntohs((__u16)ctx->user_port);
  if (!v6) {
    e->remote_ip[0] = ctx->user_ip4;
  } else {
    e->remote_ip[0] = ctx->user_ip6[0];
    e->remote_ip[1] = ctx->user_ip6[1];
    e->remote_ip[2] = ctx->user_ip6[2];
    e->remote_ip[3] = ctx->user_ip6[3];
  }
  bpf_ringbuf_submit(e, 0);
  return 1;
}

SEC("cgroup/connect4")
int rustnet_connect4(struct bpf_sock_addr *ctx) { return on_addr(ctx, RUSTNET_EV_CONNECT, 0); }

SEC("cgroup/connect6")
int rustnet_connect6(struct bpf_sock_addr *ctx) { return on_addr(ctx, RUSTNET_EV_CONNECT, 1); }

SEC("cgroup/sendmsg4")
int rustnet_sendmsg4(struct bpf_sock_addr *ctx) { return on_addr(ctx, RUSTNET_EV_SEND, 0); }

SEC("cgroup/sendmsg6")
int rustnet_sendmsg6(struct bpf_sock_addr *ctx) { return on_addr(ctx, RUSTNET_EV_SEND, 1); }

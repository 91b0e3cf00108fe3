#pragma once
// What DPI learned about one connection: the application protocol, its state, and one
// FactsBlock per protocol that recorded details (fields.h). Merging rules: the protocol,
// once known, is kept; identity facts (names, banners, versions) are written once and kept;
// the application state only moves forward within its protocol's sequence.
// Strings are kept raw (capped with core::capWireString) and escaped where shown:
// summary() escapes, domain(), detail() and the blocks do not.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi {

class Facts {
public:
  Facts();
  Facts(const Facts& other);
  Facts& operator=(const Facts& other);
  Facts(Facts&&) noexcept;
  Facts& operator=(Facts&&) noexcept;
  ~Facts();

  [[nodiscard]] AppProto proto() const { return proto_; }
  [[nodiscard]] AppState state() const { return state_; }
  // A protocol-derived idle timeout (QUIC max_idle_timeout, or 1-10 s after a close); the
  // latest one set wins. nullopt: use the tracker's table.
  [[nodiscard]] std::optional<core::Duration> idleTimeoutHint() const { return idleHint_; }

  // Sets the protocol when still unknown (or once after openTunnel()); returns whether it
  // is now `p`.
  bool setProto(AppProto p);
  // An HTTP CONNECT (or similar) tunnel was established: the next protocol found inside
  // replaces this one as proto(); the outer protocol's details are kept.
  void openTunnel() { tunnelOpen_ = true; }
  // Moves the state forward: allowed from none, or to a later state of the same family.
  // Returns whether the state changed.
  bool advanceState(AppState s);
  void setIdleTimeoutHint(core::Duration d) { idleHint_ = d; }

  // A protocol's details: find() returns nullptr when absent; get() creates the block on
  // first use. An analyzer writes only its own protocol's block. Readers go through a
  // const Facts& (Inspector::facts() gives one).
  template <typename T>
  [[nodiscard]] const T* find() const {
    return static_cast<const T*>(findKind(T::kKind));
  }
  template <typename T>
  T& get() {
    if (const FactsBlock* b = findKind(T::kKind)) return *const_cast<T*>(static_cast<const T*>(b));
    return static_cast<T&>(add(std::make_unique<T>()));
  }
  // Every block, in the order they were first written (outer protocol before the one
  // tunnelled inside it).
  [[nodiscard]] std::span<const std::unique_ptr<FactsBlock>> blocks() const;

  // SNI (TLS, QUIC), Host (HTTP) or query name (DNS) of the innermost protocol that has
  // one; empty when none. Raw: escape to show.
  [[nodiscard]] std::string_view domain() const;
  // What follows the protocol's name in the table (the domain, or SSH's software). Raw.
  [[nodiscard]] std::string_view detail() const;
  // For the table: "HTTPS (github.com)", "SSH (OpenSSH_9.2)", "DNS (example.com)", "HTTP";
  // empty when the protocol is unknown. Escaped: safe to print.
  [[nodiscard]] std::string summary() const;

private:
  struct Details;  // the blocks (facts.cpp)
  [[nodiscard]] const FactsBlock* findKind(const FactsKind& k) const;
  FactsBlock& add(std::unique_ptr<FactsBlock> b);

  AppProto proto_ = nullptr;
  AppState state_ = nullptr;
  std::optional<core::Duration> idleHint_;
  bool tunnelOpen_ = false;
  // Allocated when an analyzer first records details, so that connections DPI knows
  // nothing about cost one pointer.
  std::unique_ptr<Details> details_;
};

}  // namespace rustnet::dpi

#include "dpi/facts.h"

#include <fmt/format.h>

#include "core/text.h"

namespace rustnet::dpi {

// Most connections carry one block; an HTTP CONNECT tunnel carries HTTP's and the one of
// what runs inside it.
struct Facts::Details {
  std::vector<std::unique_ptr<FactsBlock>> blocks;

  Details() = default;
  Details(const Details& o) {
    blocks.reserve(o.blocks.size());
    for (const auto& b : o.blocks) blocks.push_back(b->clone());
  }
  Details& operator=(const Details&) = delete;
};

Facts::Facts(const Facts& other)
    : proto_(other.proto_),
      state_(other.state_),
      idleHint_(other.idleHint_),
      tunnelOpen_(other.tunnelOpen_),
      details_(other.details_ ? std::make_unique<Details>(*other.details_) : nullptr) {}

Facts& Facts::operator=(const Facts& other) {
  if (this != &other) *this = Facts(other);
  return *this;
}

Facts::Facts() = default;
Facts::Facts(Facts&&) noexcept = default;
Facts& Facts::operator=(Facts&&) noexcept = default;
Facts::~Facts() = default;

bool Facts::setProto(AppProto p) {
  if (proto_ == nullptr || (tunnelOpen_ && p != proto_)) {
    proto_ = p;
    tunnelOpen_ = false;
  }
  return proto_ == p;
}

bool Facts::advanceState(AppState s) {
  if (s == state_ || s == nullptr) return false;
  if (state_ != nullptr && (s->family != state_->family || s->rank < state_->rank)) return false;
  state_ = s;
  return true;
}

const FactsBlock* Facts::findKind(const FactsKind& k) const {
  if (!details_) return nullptr;
  for (const auto& b : details_->blocks) {
    if (&b->kind() == &k) return b.get();
  }
  return nullptr;
}

FactsBlock& Facts::add(std::unique_ptr<FactsBlock> b) {
  if (!details_) details_ = std::make_unique<Details>();
  details_->blocks.push_back(std::move(b));
  return *details_->blocks.back();
}

std::span<const std::unique_ptr<FactsBlock>> Facts::blocks() const {
  if (!details_) return {};
  return details_->blocks;
}

std::string_view Facts::domain() const {
  const auto all = blocks();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (const auto d = (*it)->domain()) return *d;
  }
  return {};
}

std::string_view Facts::detail() const {
  const auto all = blocks();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (const auto d = (*it)->detail()) return *d;
  }
  return {};
}

std::string Facts::summary() const {
  const std::string_view name = appProtoName(proto_);
  if (name.empty()) return {};
  const std::string_view d = detail();
  if (d.empty()) return std::string(name);
  return fmt::format("{} ({})", name, core::escapeControl(d));
}

}  // namespace rustnet::dpi

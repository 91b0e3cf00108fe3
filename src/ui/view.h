#pragma once
// Turns the store's rows into what the screens show: filtered, sorted, with the totals the
// header needs.
#include <memory>
#include <span>
#include <vector>

#include "filter/filter.h"
#include "ui/state.h"
#include "ui/store.h"

namespace rustnet::ui {

// Keeps the live rows (not gone(): open, or open when a file ended), or with
// state.showEnded the ended ones, that the filter accepts, and sorts them by `state`'s sort column and direction;
// ties fall back to total bytes (most first), then to the connection id, so that the order
// is stable from one refresh to the next.
std::vector<RowRef> filterAndSort(const std::vector<RowRef>& rows, const filter::Filter& f,
                                  const UiState& state);
// The two halves of filterAndSort.
std::vector<RowRef> filterRows(const std::vector<RowRef>& rows, const filter::Filter& f, const UiState& state);
void sortRows(std::span<RowRef> rows, const UiState& state);

// Groups filtered rows by process name: one line per group (its sums), followed by its
// rows when it is expanded (state.expandedGroups), sorted (only those: a folded group costs
// no sorting). Groups are ordered by the sort column's sum for the figures (Down, Up, Recv,
// Sent), else by process name; rows without a process form one group of their own, last
// when ordered by name.
std::vector<RowRef> groupByProcess(const std::vector<RowRef>& filtered, const UiState& state,
                                   std::shared_ptr<const std::vector<ProcessGroup>>& groups);
// The id of the group line a row is under.
std::uint64_t groupIdOf(const engine::ConnectionRecord& r);

// Connection counts and total rates over every row (open ones only for the rates).
void countRows(const std::vector<RowRef>& rows, HeaderInfo& header);

// After the rows changed: finds the selected connection again (or keeps the selection at
// the same position when it is gone), and scrolls so that it stays within `pageRows`.
void resolveSelection(UiState& state, const std::vector<RowRef>& rows, int pageRows);

}  // namespace rustnet::ui

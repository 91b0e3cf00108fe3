#pragma once
// Turns the store's rows into what the screens show: filtered, sorted, with the totals the
// header needs.
#include <vector>

#include "filter/filter.h"
#include "ui/state.h"
#include "ui/store.h"

namespace rustnet::ui {

// Keeps the rows the filter accepts and sorts them by `state`'s sort column and direction;
// ties fall back to total bytes (most first), then to the connection id, so that the order
// is stable from one refresh to the next.
std::vector<RowRef> filterAndSort(const std::vector<RowRef>& rows, const filter::Filter& f,
                                  const UiState& state);

// Connection counts and total rates over every row (open ones only for the rates).
void countRows(const std::vector<RowRef>& rows, HeaderInfo& header);

// After the rows changed: finds the selected connection again (or keeps the selection at
// the same position when it is gone), and scrolls so that it stays within `pageRows`.
void resolveSelection(UiState& state, const std::vector<RowRef>& rows, int pageRows);

}  // namespace rustnet::ui

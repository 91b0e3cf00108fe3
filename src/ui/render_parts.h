#pragma once
// The pieces of render(), one file per tab (internal to the ui stage). What each tab is
// made of is listed in the tab table (ui/tabs.h).
#include <string>
#include <vector>

#include "ui/frame.h"
#include "ui/input.h"
#include "ui/state.h"

namespace rustnet::ui {

// A line of text with the style of each part: what the Details and Help tabs are made of.
struct Span {
  std::string text;
  Style style = Style::Normal;
};
using Line = std::vector<Span>;

// Draws `lines` from `first` into lines [top, top + rows) of the frame.
void drawLines(Frame& f, const std::vector<Line>& lines, int first, int top, int rows, int left = 0);

// Overview (render_overview.cpp): the table, and Enter opening the Details of its selection.
void renderOverview(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o);
bool overviewKey(UiState& s, const Key& k, const View& v, Action& a);
// Activity (render_activity.cpp): the owners' table, its keys (selection, sort, Enter
// filtering the Overview to the owner), and their ranking (by the Controller, per rebuild).
void renderActivity(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o);
bool activityKey(UiState& s, const Key& k, const View& v, Action& a);
void rankOwners(std::vector<OwnerRow>& owners, UiState& s);
// Details (render_details.cpp).
std::vector<Line> detailsLines(const View& v, const UiState& s, int width, const RenderOptions& o);
// Graph (render_graph.cpp): traffic over time, health, applications, TCP states.
void renderGraph(Frame& f, const View& v, const UiState& s, int top, int rows, const RenderOptions& o);
// Host (render_host.cpp): this host's listening and bound sockets.
std::vector<Line> hostLines(const View& v, const UiState& s, int width, const RenderOptions& o);
// Help (render_help.cpp).
std::vector<Line> helpLines(const View& v, const UiState& s, int width, const RenderOptions& o);

}  // namespace rustnet::ui

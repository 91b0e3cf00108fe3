// The one file that talks to ncursesw. Wide-character API throughout (cchar_t, get_wch).
#define NCURSES_WIDECHAR 1
#include "ui/terminal.h"

#include <curses.h>
#include <langinfo.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <stdexcept>
#include <string>
#include <vector>

#include "ui/text.h"

namespace rustnet::ui {

namespace {

// State for the fatal-signal handler, which may only touch what is async-signal-safe:
// it writes the terminal's reset sequence and restores the saved termios, then lets the
// signal take its default course. Set up once while the screen is active.
volatile std::sig_atomic_t gActive = 0;
termios gSavedTermios{};
bool gHaveTermios = false;
std::array<char, 256> gResetSeq{};
std::size_t gResetLen = 0;
// Two presses on one cell within this long are a double click (what desktops default to).
constexpr auto kDoubleClick = std::chrono::milliseconds(400);
constexpr std::array<int, 5> kFatalSignals{SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

void onFatalSignal(int sig) {
  if (gActive != 0) {
    gActive = 0;
    if (gResetLen > 0) {
      [[maybe_unused]] const ssize_t n = ::write(STDOUT_FILENO, gResetSeq.data(), gResetLen);
    }
    if (gHaveTermios) ::tcsetattr(STDIN_FILENO, TCSANOW, &gSavedTermios);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void appendBytes(const char* s) {
  const std::size_t len = std::strlen(s);
  if (gResetLen + len >= gResetSeq.size()) return;
  std::memcpy(gResetSeq.data() + gResetLen, s, len);
  gResetLen += len;
}

void appendCap(const char* name) {
  // tigetstr takes a non-const name in older ncurses headers.
  std::string n(name);
  const char* s = tigetstr(n.data());
  if (s == nullptr || s == reinterpret_cast<char*>(-1)) return;
  appendBytes(s);
}

void installFatalHandlers(bool mouse) {
  gResetLen = 0;
  appendCap("sgr0");
  appendCap("cnorm");
  appendCap("rmcup");
  // Mouse reporting off (the X10/normal and SGR modes ncurses turns on), or the shell would
  // receive escape sequences for every click.
  if (mouse) appendBytes("\033[?1006l\033[?1000l");
  struct sigaction sa {};
  sa.sa_handler = onFatalSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kFatalSignals) sigaction(sig, &sa, nullptr);
}

// Colour pairs, one per style that has a colour (0 is the terminal's default).
enum Pair : short { kTitle = 1, kAlert, kTab, kHeader, kHeaderActive, kKey, kMessage, kError, kLabel, kSection, kInput };

void initColors() {
  start_color();
  const short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
  init_pair(kTitle, COLOR_BLACK, COLOR_CYAN);
  init_pair(kAlert, COLOR_WHITE, COLOR_RED);
  init_pair(kTab, COLOR_BLACK, COLOR_YELLOW);
  init_pair(kHeader, COLOR_CYAN, bg);
  init_pair(kHeaderActive, COLOR_YELLOW, bg);
  init_pair(kKey, COLOR_YELLOW, bg);
  init_pair(kMessage, COLOR_GREEN, bg);
  init_pair(kError, COLOR_RED, bg);
  init_pair(kLabel, COLOR_CYAN, bg);
  init_pair(kSection, COLOR_YELLOW, bg);
  init_pair(kInput, COLOR_GREEN, bg);
}

struct Look {
  attr_t attr = A_NORMAL;
  short pair = 0;
};

// Without colour every role still reads: reverse video for bars and the selection, bold
// for emphasis, dim for ended connections.
Look lookOf(Style s, bool color) {
  switch (s) {
    case Style::Normal: return {};
    case Style::Title: return color ? Look{A_NORMAL, kTitle} : Look{A_REVERSE, 0};
    case Style::TitleAlert: return color ? Look{A_BOLD, kAlert} : Look{A_REVERSE | A_BOLD, 0};
    case Style::TabActive: return color ? Look{A_BOLD, kTab} : Look{A_REVERSE | A_BOLD, 0};
    case Style::TabInactive: return {};
    case Style::TableHeader: return color ? Look{A_BOLD, kHeader} : Look{A_BOLD | A_UNDERLINE, 0};
    case Style::TableHeaderActive: return color ? Look{A_BOLD, kHeaderActive} : Look{A_BOLD | A_REVERSE, 0};
    case Style::Selected: return {A_REVERSE, 0};
    case Style::Ended: return {A_DIM, 0};
    case Style::SelectedEnded: return {A_REVERSE | A_DIM, 0};
    case Style::StatusKey: return color ? Look{A_BOLD, kKey} : Look{A_BOLD, 0};
    case Style::Status: return {};
    case Style::Message: return color ? Look{A_BOLD, kMessage} : Look{A_BOLD, 0};
    case Style::Error: return color ? Look{A_BOLD, kError} : Look{A_BOLD, 0};
    case Style::Label: return color ? Look{A_NORMAL, kLabel} : Look{};
    case Style::Section: return color ? Look{A_BOLD, kSection} : Look{A_BOLD | A_UNDERLINE, 0};
    case Style::FilterInput: return color ? Look{A_BOLD, kInput} : Look{A_BOLD, 0};
    case Style::ChartIn: return color ? Look{A_NORMAL, kMessage} : Look{A_BOLD, 0};
    case Style::ChartOut: return color ? Look{A_NORMAL, kLabel} : Look{};
    case Style::Count: break;
  }
  return {};
}

Key mapFunctionKey(wint_t k) {
  switch (k) {
    case KEY_UP: return Key::of(KeyCode::Up);
    case KEY_DOWN: return Key::of(KeyCode::Down);
    case KEY_LEFT: return Key::of(KeyCode::Left);
    case KEY_RIGHT: return Key::of(KeyCode::Right);
    case KEY_PPAGE: return Key::of(KeyCode::PageUp);
    case KEY_NPAGE: return Key::of(KeyCode::PageDown);
    case KEY_HOME: return Key::of(KeyCode::Home);
    case KEY_END: return Key::of(KeyCode::End);
    case KEY_ENTER: return Key::of(KeyCode::Enter);
    case KEY_BACKSPACE: return Key::of(KeyCode::Backspace);
    case KEY_BTAB: return Key::of(KeyCode::BackTab);
    case KEY_RESIZE: return Key::of(KeyCode::Resize);
    default: return Key::of(KeyCode::None);
  }
}

Key mapChar(wint_t c) {
  switch (c) {
    case L'\r':
    case L'\n': return Key::of(KeyCode::Enter);
    case 27: return Key::of(KeyCode::Escape);
    case L'\t': return Key::of(KeyCode::Tab);
    case 127:
    case 8: return Key::of(KeyCode::Backspace);
    case 3: return Key::of(KeyCode::CtrlC);
    case 21: return Key::of(KeyCode::CtrlU);
    case 23: return Key::of(KeyCode::CtrlW);
    default: break;
  }
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return Key::of(KeyCode::None);
  return Key::character(static_cast<char32_t>(c));
}

}  // namespace

bool noColorRequested() {
  const char* v = std::getenv("NO_COLOR");
  return v != nullptr && v[0] != '\0';
}

Terminal::Terminal(TerminalOptions options) {
  if (::isatty(STDIN_FILENO) == 0 || ::isatty(STDOUT_FILENO) == 0) {
    throw std::runtime_error("the terminal UI needs a terminal on stdin and stdout (use --json otherwise)");
  }
  // Only the character type: numbers in logs and JSON keep the C locale's format.
  std::setlocale(LC_CTYPE, "");
  const char* codeset = nl_langinfo(CODESET);
  unicode_ = codeset != nullptr && std::strcmp(codeset, "UTF-8") == 0;
  gHaveTermios = ::tcgetattr(STDIN_FILENO, &gSavedTermios) == 0;

  const char* term = std::getenv("TERM");
  if (term == nullptr || term[0] == '\0') throw std::runtime_error("TERM is not set: cannot drive the terminal");
  // newterm, unlike initscr, reports failure instead of exiting the process.
  if (newterm(nullptr, stdout, stdin) == nullptr) {
    throw std::runtime_error(std::string("cannot use terminal type '") + term + "'");
  }
  active_ = true;
  cbreak();  // Ctrl+C stays a signal: the same clean way out as SIGTERM
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  intrflush(stdscr, FALSE);
  leaveok(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  if (options.mouse) {
    // Presses only, reported at once: ncurses' own click detection would hold every click
    // back for the double-click interval.
    mouse_ = mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, nullptr) != 0;
    mouseinterval(0);
  }
  color_ = options.color && has_colors();
  if (color_) initColors();
  installFatalHandlers(mouse_);
  gActive = 1;
}

Terminal::~Terminal() { restore(); }

void Terminal::restore() {
  if (!active_) return;
  gActive = 0;
  active_ = false;
  curs_set(1);
  endwin();
}

int Terminal::width() const { return COLS; }
int Terminal::height() const { return LINES; }

void Terminal::draw(const Frame& frame) {
  if (!active_) return;
  const int h = std::min(frame.height(), LINES);
  const int w = std::min(frame.width(), COLS);
  std::vector<cchar_t> line;
  line.reserve(static_cast<std::size_t>(w));
  for (int y = 0; y < h; ++y) {
    line.clear();
    for (int x = 0; x < w; ++x) {
      const Cell& cell = frame.at(x, y);
      if (cell.ch == 0) continue;  // right half of a wide character
      wchar_t wc[2] = {static_cast<wchar_t>(cell.ch), L'\0'};
      const int ours = charWidth(cell.ch);
      // Outside UTF-8, or where the C library disagrees on the width, draw a placeholder:
      // never a character the terminal might misplace.
      if ((!unicode_ && cell.ch >= 0x80) || (unicode_ && ::wcwidth(wc[0]) != ours) || x + ours > w) {
        wc[0] = L'?';
        if (ours == 2 && x + 1 < w) {
          // Keep the columns aligned: the placeholder takes one, a space the other.
          cchar_t q;
          const Look look = lookOf(cell.style, color_);
          setcchar(&q, wc, look.attr, look.pair, nullptr);
          line.push_back(q);
          wc[0] = L' ';
        }
      }
      cchar_t cc;
      const Look look = lookOf(cell.style, color_);
      setcchar(&cc, wc, look.attr, look.pair, nullptr);
      line.push_back(cc);
    }
    mvwadd_wchnstr(stdscr, y, 0, line.data(), static_cast<int>(line.size()));
  }
  wnoutrefresh(stdscr);
  doupdate();
}

Key Terminal::readKey(int timeoutMs) {
  if (!active_) return Key::of(KeyCode::None);
  wtimeout(stdscr, timeoutMs);
  wint_t ch = 0;
  const int r = wget_wch(stdscr, &ch);
  if (r == ERR) return Key::of(KeyCode::None);
  if (r == KEY_CODE_YES && ch == KEY_MOUSE) return mouseKey();
  if (r == KEY_CODE_YES) {
    const Key k = mapFunctionKey(ch);
    if (k.code == KeyCode::Resize) clearok(curscr, TRUE);  // repaint whole after a resize
    return k;
  }
  return mapChar(ch);
}

Key Terminal::mouseKey() {
  MEVENT ev{};
  if (!mouse_ || getmouse(&ev) != OK) return Key::of(KeyCode::None);
  if ((ev.bstate & BUTTON4_PRESSED) != 0) return Key::mouseAt(MouseKind::WheelUp, ev.x, ev.y);
  if ((ev.bstate & BUTTON5_PRESSED) != 0) return Key::mouseAt(MouseKind::WheelDown, ev.x, ev.y);
  if ((ev.bstate & BUTTON1_PRESSED) == 0) return Key::of(KeyCode::None);
  const auto now = std::chrono::steady_clock::now();
  const bool second = ev.x == lastPressX_ && ev.y == lastPressY_ && now - lastPress_ < kDoubleClick;
  // A third press starts over: it is a click again.
  lastPress_ = second ? std::chrono::steady_clock::time_point{} : now;
  lastPressX_ = ev.x;
  lastPressY_ = ev.y;
  return Key::mouseAt(second ? MouseKind::DoubleClick : MouseKind::Click, ev.x, ev.y);
}

void Terminal::sendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace rustnet::ui

// rustnet: command line → configs; opens the engine and the outputs, then runs the pump
// with its sinks (the terminal UI or the --json stream, and the --json-log file).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/source.h"
#include "cli_help.h"
#include "engine/engine.h"
#include "filter/filter.h"
#include "output/log_file.h"
#include "output/ndjson_sink.h"
#include "output/private_file.h"
#include "output/pump.h"
#ifdef RUSTNET_HAVE_UI
#include "ui/app.h"
#endif

namespace {

using namespace rustnet;

std::atomic<bool> gStop{false};  // set by SIGINT/SIGTERM; lock-free, so signal-safe

void onSignal(int) { gStop.store(true, std::memory_order_relaxed); }

struct Options {
  std::string interface;
  std::string readFile;
  std::string bpfFilter;
  bool json = false;
  std::string jsonLog;
  std::string logLevel;
  bool noLocalhost = false;
  int refreshMs = 1000;
  bool noDpi = false;
  std::string filter;
  bool noColor = false;
  bool noMouse = false;
  int workers = -1;
  std::size_t maxConnections = 262'144;
};

int fail(const std::string& message, int code = 1) {
  std::fflush(stdout);
  fmt::print(stderr, "rustnet: error: {}\n", message);
  return code;
}

// Turns CLI11's messages into one line.
std::string oneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

void installSignals() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout becomes a write error we report
}

// --filter for the headless run: no live editing there, so what the UI would only note
// (an unknown keyword, a port that is no port, a keyword without a value) is an error.
std::optional<std::string> strictFilterError(const filter::Filter& f) {
  if (!f.notices().empty()) {
    // The notices are worded for the UI, which goes on matching; here the run stops.
    std::string notice = f.notices().front();
    for (const std::string_view tail : {" (matched as text)", ": ignored"}) {
      if (notice.ends_with(tail)) notice.resize(notice.size() - tail.size());
    }
    return fmt::format("--filter: {}", notice);
  }
  if (f.empty() && f.query().find_first_not_of(" \t") != std::string::npos) {
    return fmt::format("--filter: '{}' has no term to match (a keyword needs a value)", f.query());
  }
  return std::nullopt;
}

// Frames the decoder could not read at all are easy to miss in the counters (a capture of
// an unsupported link type otherwise just shows nothing), so the run ends with one line
// naming the link type. Once per run, at its end: the count is then complete, and the UI
// header says the same while the run goes on.
void warnUnsupportedLink(const engine::Engine& eng) {
  const std::uint64_t skipped = eng.stats().decode.unsupported;
  if (skipped == 0) return;
  const std::string msg = fmt::format("{} frame{} skipped: link type {} is not supported", skipped,
                                      skipped == 1 ? "" : "s", eng.unsupportedLink());
  spdlog::warn("{}", msg);
  std::fflush(stdout);
  fmt::print(stderr, "rustnet: warning: {}\n", msg);
}

// The run's outcome as an exit status, with one error line when it is not 0.
int exitStatus(const engine::Engine& eng, const output::PumpResult& r, const std::string& jsonLog) {
  if (r.sourceError) {
    const std::string msg = fmt::format("{}: {} (everything before it was reported)",
                                        eng.sourceName(), *r.sourceError);
    spdlog::error("{}", msg);
    return fail(msg);
  }
  if (r.essentialFailed) return fail("could not write the output (closed pipe or full disk)");
  if (!r.failedSinks.empty()) {
    return fail(fmt::format("could not write the JSON log {} (full disk?); the other outputs are complete",
                            jsonLog));
  }
  return 0;
}

// The --help headings, in the order shown.
constexpr const char* kCapture = "Capture";
constexpr const char* kFiltering = "Filtering";
constexpr const char* kProcessing = "Processing";
constexpr const char* kOutput = "Output";
constexpr const char* kTerminal = "Terminal UI";
constexpr const char* kOther = "Other";

// After the options: what a first run looks like, and the keys in brief (the Help tab has
// them all). Kept within 80 columns by hand; tests/cli checks that.
constexpr const char* kHelpFooter =
    R"(Examples:
  sudo rustnet                    the terminal UI on the default interface
  sudo rustnet -i any --filter process:firefox
                                  every interface, Firefox's connections only
  rustnet --read trace.pcapng     a capture file, its packet times as the clock
  rustnet --read trace.pcap --json --filter dport:53 | jq .
                                  DNS connections in a file, as JSON lines
  sudo rustnet -i eth0 -f 'tcp port 443' --json-log tls.ndjson
                                  HTTPS only, also logged to a file

Keys (the Help tab, h, lists every key and the filter syntax):
  q          quit (press twice)       Enter      details of the selection
  1 2 3 4 5  Overview, Details, Activity, Graph, Host; h Help
  Tab S-Tab  next / previous tab      /          filter as you type
  ]  [       next / previous tab      Esc        back, or clear the filter
  mouse      click: select or open a tab; double-click: details; wheel: move
  Up Dn j k  move the selection       c          copy the remote address
  PgUp PgDn  move by 10               s  S       sort by next column / reverse
  g  G       first / last connection  p          service names or port numbers
  {  }       pick a column to resize  < > =      narrower, wider, reset widths
  a          group rows by process    Spc Lt Rt  fold / unfold a group
  t          ended connections / live

Live capture needs root, or cap_net_raw,cap_net_admin on the binary.)";

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"rustnet: which connections exist on this host right now, what they carry, "
               "and which process owns each. A terminal UI, or JSON lines with --json or "
               "when stdout is not a terminal.",
               "rustnet"};
  app.formatter(std::make_shared<cli::HelpFormatter>(std::vector<std::string>{
      kCapture, kFiltering, kProcessing, kOutput, kTerminal, kOther}));
  app.footer(kHelpFooter);
  app.get_help_ptr()->group(kOther)->description("print this help and exit");
  app.set_version_flag("-V,--version", std::string("rustnet ") + RUSTNET_VERSION)
      ->group(kOther)
      ->description("print the version and exit");

  auto* iface = app.add_option("-i,--interface", o.interface,
                               "capture on IFACE ('any' for all of them; not with --read); "
                               "default: the first interface that is up, not loopback, "
                               "and has an address")
                    ->option_text("IFACE")
                    ->group(kCapture);
  auto* read = app.add_option("--read", o.readFile,
                              "read a pcap or pcapng file, gzipped or not, instead of "
                              "capturing live (not with -i); packet timestamps are the clock")
                   ->option_text("FILE")
                   ->group(kCapture);
  iface->excludes(read);
  read->excludes(iface);

  app.add_option("-f,--bpf-filter", o.bpfFilter,
                 "libpcap capture filter, e.g. 'tcp port 443'; what it drops is never seen")
      ->option_text("EXPR")
      ->group(kFiltering);
  app.add_option("--filter", o.filter,
                 "UI: start with this filter (syntax: the Help tab); --json: write only the "
                 "connections it matches (--json-log still gets every one)")
      ->option_text("QUERY")
      ->group(kFiltering);
  app.add_flag("--no-localhost", o.noLocalhost, "ignore connections whose both ends are loopback")
      ->group(kFiltering);

  app.add_flag("--no-dpi", o.noDpi,
               "no deep packet inspection (no application, server name or DPI facts)")
      ->group(kProcessing);
  app.add_option("--workers", o.workers,
                 "packet worker threads, 0 to 64 (default: cores - 1; 0: process in the "
                 "capture thread)")
      ->option_text("N")
      ->group(kProcessing)
      ->check(CLI::Range(0, 64));
  app.add_option("--max-connections", o.maxConnections,
                 "bound on tracked connections, 16 to 50000000 (default 262144); beyond it "
                 "the least recently active is evicted")
      ->option_text("N")
      ->group(kProcessing)
      ->default_val(262'144)
      ->check(CLI::Range(std::size_t{16}, std::size_t{50'000'000}));

  app.add_flag("--json", o.json, "no UI: write connection events as JSON lines to stdout")
      ->group(kOutput);
  app.add_option("--json-log", o.jsonLog,
                 "also write the JSON events to FILE (created 0600, never filtered)")
      ->option_text("FILE")
      ->group(kOutput);
  app.add_option("-l,--log-level", o.logLevel,
                 "write a log to logs/rustnet_<time>.log at LEVEL: error, warn, info, "
                 "debug or trace (off by default)")
      ->option_text("LEVEL")
      ->group(kOutput);

  app.add_option("-r,--refresh-interval", o.refreshMs,
                 "redraw every MS milliseconds, 50 to 60000 (default 1000)")
      ->option_text("MS")
      ->group(kTerminal)
      ->default_val(1000)
      ->check(CLI::Range(50, 60'000));
  app.add_flag("--no-color", o.noColor, "no colours (also when NO_COLOR is set)")->group(kTerminal);
  app.add_flag("--no-mouse", o.noMouse,
               "leave the mouse to the terminal (its own text selection) instead of clicks and the wheel")
      ->group(kTerminal);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    fmt::print("rustnet {}\n", RUSTNET_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    return fail(fmt::format("{} (see rustnet --help)", oneLine(e.what())), 2);
  }

  if (!o.logLevel.empty()) {
    auto level = output::parseLogLevel(o.logLevel);
    if (!level) {
      return fail(fmt::format("unknown log level '{}': use error, warn, info, debug or trace",
                              o.logLevel), 2);
    }
    try {
      output::startFileLogging(*level);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  } else {
    output::disableLogging();
  }

  // Headless when asked, or when stdout is no terminal (a pipe, a file).
  bool headless = o.json;
#ifdef RUSTNET_HAVE_UI
  headless = headless || ::isatty(STDOUT_FILENO) == 0;
#else
  headless = true;
#endif
  // The headless run writes only the connections --filter selects (the summary still counts
  // every one); the UI applies it live, and --json-log always logs everything.
  const filter::Filter jsonFilter = filter::Filter::parse(headless ? o.filter : std::string());
  if (auto err = strictFilterError(jsonFilter)) return fail(*err, 2);

  engine::EngineConfig cfg;
  cfg.readFile = o.readFile;
  cfg.live.interface = o.interface;
  cfg.live.bpfFilter = o.bpfFilter;
  cfg.workers = o.workers;
  cfg.tracker.maxConnections = o.maxConnections;
  cfg.tracker.ignoreLoopback = o.noLocalhost;
  cfg.tracker.dpi = !o.noDpi;
  if (o.readFile.empty()) cfg.tracker.localAddresses = capture::hostAddresses();
  cfg.attribution.onNotice = [](const std::string& m) { spdlog::warn("process attribution: {}", m); };

  // A signal during the open step (the first /proc scan can take a while) ends the run as
  // soon as it starts, with its summary.
  installSignals();
  // Open: the capture, process attribution's sockets, then our output files.
  std::optional<engine::Engine> eng;
  std::optional<output::NdjsonSink> jsonLog;
  try {
    eng.emplace(std::move(cfg));
    if (!o.jsonLog.empty()) jsonLog.emplace(output::PrivateFile::create(o.jsonLog));
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return fail(e.what());
  }
  spdlog::info("rustnet {} started on {} ({}), {} worker(s)", RUSTNET_VERSION, eng->sourceName(),
               eng->isLive() ? "live" : "file", eng->workerCount());
  // Everything is open and no thread of ours runs: the point where privileges will be
  // dropped and a sandbox entered (engine/engine.h, docs/architecture.md).

  // Run.
  eng->start();
  output::Pump pump(*eng);
  output::NdjsonSink json(stdout);
  // A live run's writers get their own thread, so that a slow disk or reader never holds up
  // the capture; a file's wait (nothing is lost, nothing is live).
  if (jsonLog) pump.add(*jsonLog, output::SinkOptions{.queued = true});
  output::PumpResult result;
  if (headless) {
    pump.add(json, output::SinkOptions{.filter = &jsonFilter, .queued = true});
    pump.run(gStop);
    result = pump.finish();
  } else {
#ifdef RUSTNET_HAVE_UI
    ui::UiConfig uiCfg;
    uiCfg.filter = o.filter;
    uiCfg.noColor = o.noColor;
    uiCfg.noMouse = o.noMouse;
    uiCfg.refreshMs = o.refreshMs;
    try {
      result = ui::runUi(pump, *eng, uiCfg, gStop);
    } catch (const std::exception& e) {
      // The terminal is restored by now (runUi's objects are gone).
      spdlog::error("{}", e.what());
      return fail(e.what());
    }
#endif
  }
  warnUnsupportedLink(*eng);
  return exitStatus(*eng, result, o.jsonLog);
}

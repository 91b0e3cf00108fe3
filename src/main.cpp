// rustnet: command line → EngineConfig → engine + one front end.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>

#include "capture/source.h"
#include "engine/engine.h"
#include "output/event_hold.h"
#include "output/json_frontend.h"
#include "output/log_file.h"
#include "output/private_file.h"
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

#ifdef RUSTNET_HAVE_UI
// The terminal front end; --json-log gets the same events and summary as with --json.
int runTerminalUi(engine::Engine& eng, const Options& o, output::PrivateFile jsonLog) {
  const core::Timestamp started = core::SystemClock().now();
  const bool logging = jsonLog.isOpen();
  output::EventWriter writer(nullptr, std::move(jsonLog));
  bool logFailed = false;
  ui::UiConfig cfg;
  cfg.filter = o.filter;
  cfg.noColor = o.noColor;
  cfg.refreshMs = o.refreshMs;
  // Like --json: a live run's events wait output::kProcessHold for their process.
  const bool hold = eng.processMethod() != "off";
  output::EventHold held;
  auto write = [&](engine::ConnectionEvent& e) {
    if (!e.record.process) eng.joinProcess(e.record);
    if (!writer.writeEvent(e)) logFailed = true;
  };
  // Written events go out on the next tick of the UI loop (every few milliseconds).
  auto release = [&](bool all) {
    held.release(output::EventHold::Clock::now(), all, write);
    if (!writer.flush()) logFailed = true;
  };
  ui::EventLog log;
  if (logging) {
    log.onEvent = [&](const engine::ConnectionEvent& e) {
      if (hold) {
        held.push(e, output::EventHold::Clock::now());
      } else if (!writer.writeEvent(e)) {  // a file: no process to wait for (or join)
        logFailed = true;
      }
    };
    log.onTick = [&] { release(false); };
  }
  ui::UiResult r;
  try {
    r = ui::runUi(eng, cfg, gStop, log);
  } catch (const std::exception& e) {
    // The terminal is restored by now (runUi's objects are gone).
    spdlog::error("{}", e.what());
    return fail(e.what());
  }
  if (logging) {
    release(true);
    output::RunResult summary;
    output::writeSummary(eng, writer, started, summary);
    logFailed = logFailed || summary.outputFailed;
  }
  if (r.sourceError) {
    const std::string msg = fmt::format("{}: {}", eng.sourceName(), *r.sourceError);
    spdlog::error("{}", msg);
    return fail(msg);
  }
  if (logFailed) return fail("could not write the JSON log (full disk?)");
  return 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"rustnet: which connections exist on this host right now, what they carry, "
               "and which process owns each.",
               "rustnet"};
  app.set_version_flag("-V,--version", std::string("rustnet ") + RUSTNET_VERSION);
  auto* iface = app.add_option("-i,--interface", o.interface,
                               "Interface to capture on (default: the first up, non-loopback "
                               "interface with an address; 'any' for all)");
  auto* read = app.add_option("--read", o.readFile,
                              "Read a pcap or pcapng file instead of capturing live; packet "
                              "timestamps drive timeouts and rates");
  iface->excludes(read);
  read->excludes(iface);
  app.add_option("-f,--bpf-filter", o.bpfFilter, "BPF capture filter, e.g. 'tcp port 443'");
  app.add_flag("--json", o.json, "Write connection events as JSON lines to stdout (no UI)");
  app.add_option("--json-log", o.jsonLog, "Also write the JSON events to FILE (created 0600)");
  app.add_option("-l,--log-level", o.logLevel,
                 "Write a log to logs/rustnet_<time>.log at LEVEL: error, warn, info, debug, "
                 "trace (off by default)");
  app.add_flag("--no-localhost", o.noLocalhost, "Ignore connections whose both ends are loopback");
  app.add_option("-r,--refresh-interval", o.refreshMs, "UI refresh interval in milliseconds")
      ->default_val(1000)
      ->check(CLI::Range(50, 60'000));
  app.add_flag("--no-dpi", o.noDpi, "Disable deep packet inspection");
  app.add_option("--filter", o.filter, "Start with this filter (see the Help tab for the syntax)");
  app.add_flag("--no-color", o.noColor, "Disable colours (also when NO_COLOR is set)");
  app.add_option("--workers", o.workers,
                 "Packet worker threads (default: cores - 1; 0 = process in the capture thread)")
      ->check(CLI::Range(0, 64));
  app.add_option("--max-connections", o.maxConnections,
                 "Bound on tracked connections; beyond it the least recently active is evicted")
      ->default_val(262'144)
      ->check(CLI::Range(std::size_t{16}, std::size_t{50'000'000}));

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

  output::PrivateFile jsonLog;
  if (!o.jsonLog.empty()) {
    try {
      jsonLog = output::PrivateFile::create(o.jsonLog);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }

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

  std::optional<engine::Engine> eng;
  try {
    eng.emplace(std::move(cfg));
  } catch (const capture::CaptureError& e) {
    spdlog::error("{}", e.what());
    return fail(e.what());
  }
  spdlog::info("rustnet {} started on {} ({}), {} worker(s)", RUSTNET_VERSION, eng->sourceName(),
               eng->isLive() ? "live" : "file", eng->workerCount());

  installSignals();
  eng->start();
#ifdef RUSTNET_HAVE_UI
  // The terminal UI is the default front end; --json, or a stdout that is no terminal
  // (a pipe, a file), gets the headless one.
  if (!o.json && ::isatty(STDOUT_FILENO) != 0) return runTerminalUi(*eng, o, std::move(jsonLog));
#endif
  output::EventWriter writer(stdout, std::move(jsonLog));
  const output::RunResult r = output::runJson(*eng, writer, gStop);
  if (r.sourceError) {
    const std::string msg = fmt::format("{}: {} (everything before it was reported)",
                                        eng->sourceName(), *r.sourceError);
    spdlog::error("{}", msg);
    return fail(msg);
  }
  if (r.outputFailed) return fail("could not write the output (closed pipe or full disk)");
  return 0;
}

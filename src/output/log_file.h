#pragma once
// -l/--log-level: a log file logs/rustnet_YYYY-MM-DD_HH-MM-SS.log (directory 0700, file
// 0600, symlinks refused) behind spdlog's default logger. Without it logging is off.
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/common.h>

namespace rustnet::output {

// "error", "warn", "info", "debug" or "trace" (case-insensitive); nullopt otherwise.
std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name);

// Installs the file logger as spdlog's default and returns the file's path. Throws
// std::runtime_error with a one-line reason.
std::string startFileLogging(spdlog::level::level_enum level, const std::string& dir = "logs");
// Turns logging off (the default): log calls in the code cost a level check only.
void disableLogging();

}  // namespace rustnet::output

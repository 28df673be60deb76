#include "io/output_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace ts::io {

namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 18;

std::string errno_message(int err) {
    return std::error_code(err, std::generic_category()).message();
}

[[noreturn]] void throw_io(std::string_view what, const fs::path& path, int err) {
    throw RunError(fmt::format("cannot {} '{}': {}", what, path.string(), errno_message(err)));
}

[[noreturn]] void throw_io(std::string_view what, const fs::path& path, const std::error_code& ec) {
    throw RunError(fmt::format("cannot {} '{}': {}", what, path.string(), ec.message()));
}

/// "out/x/" -> "out/x"; "./x" -> "x".
fs::path strip_trailing_separator(const fs::path& p) {
    fs::path n = p.lexically_normal();
    if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
    return n;
}

/// True when `ancestor` equals `p` or is one of its parent folders (component-wise).
bool is_same_or_ancestor(const fs::path& ancestor, const fs::path& p) {
    auto a = ancestor.begin();
    auto b = p.begin();
    for (; a != ancestor.end(); ++a, ++b) {
        if (a->empty()) continue;  // trailing separator
        if (b == p.end() || *a != *b) return false;
    }
    return true;
}

std::string hidden_sibling_name(const fs::path& target, std::string_view what) {
    return fmt::format(".{}.{}-{}", target.filename().string(), what,
                       static_cast<long>(::getpid()));
}

/// True for a path that must be written in place: it exists and is neither a regular file nor a
/// folder (a device, a FIFO, a socket), or it lies in /dev or /proc (`/dev/stdout` is a link to
/// /proc/self/fd/1, which may be a regular file that the caller's shell holds open).
bool is_device_path(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return true;
    std::error_code ec;
    const fs::path abs = fs::absolute(path, ec).lexically_normal();
    if (ec) return false;
    auto it = abs.begin();
    if (it == abs.end() || ++it == abs.end()) return false;
    return *it == "dev" || *it == "proc";
}

/// 1 for /dev/stdout, /dev/fd/1 or /proc/self/fd/1 (likewise 2 and other numbers), else -1.
int inherited_descriptor(const fs::path& path) {
    const std::string p = path.lexically_normal().string();
    if (p == "/dev/stdout") return STDOUT_FILENO;
    if (p == "/dev/stderr") return STDERR_FILENO;
    for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        if (p.rfind(prefix, 0) != 0) continue;
        const std::string digits = p.substr(prefix.size());
        if (digits.empty() || digits.size() > 6 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            return -1;
        return std::stoi(digits);
    }
    return -1;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// AtomicFile

AtomicFile::AtomicFile(fs::path final_path, bool sync)
    : final_(std::move(final_path)), sync_(sync) {
    // `-o /dev/stdout`, `-o /dev/full`, a FIFO: a device cannot be replaced by a rename (as root
    // that would put a regular file in /dev), so it is written in place.
    direct_ = is_device_path(final_);
    temp_ = final_;
    if (!direct_) temp_ += ".tmp";
    if (const int inherited = inherited_descriptor(final_); direct_ && inherited >= 0) {
        // `-o /dev/stdout`: write through our own descriptor, sharing its file offset, after
        // what stdio already buffered for it.
        std::fflush(inherited == STDERR_FILENO ? stderr : stdout);
        fd_ = ::fcntl(inherited, F_DUPFD_CLOEXEC, 0);
        if (fd_ < 0) throw_io("open", temp_, errno);
    } else {
        const int flags =
            direct_ ? O_WRONLY | O_TRUNC | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
        do {
            fd_ = ::open(temp_.c_str(), flags, 0666);
        } while (fd_ < 0 && errno == EINTR);
        if (fd_ < 0) throw_io(direct_ ? "open" : "create", temp_, errno);
    }
    buffer_.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
    close_quietly();
    if (!committed_ && !direct_ && !temp_.empty()) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_(std::move(other.final_)),
      temp_(std::move(other.temp_)),
      buffer_(std::move(other.buffer_)),
      fd_(std::exchange(other.fd_, -1)),
      sync_(other.sync_),
      direct_(other.direct_),
      committed_(other.committed_),
      bytes_written_(other.bytes_written_) {
    other.temp_.clear();  // the moved-from object must not remove our file
    other.committed_ = true;
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
    if (this != &other) {
        AtomicFile old(std::move(*this));  // discards what we held, as the destructor would
        final_ = std::move(other.final_);
        temp_ = std::move(other.temp_);
        buffer_ = std::move(other.buffer_);
        fd_ = std::exchange(other.fd_, -1);
        sync_ = other.sync_;
        direct_ = other.direct_;
        committed_ = other.committed_;
        bytes_written_ = other.bytes_written_;
        other.temp_.clear();
        other.committed_ = true;
    }
    return *this;
}

void AtomicFile::write(std::string_view bytes) {
    if (fd_ < 0) throw RunError(fmt::format("write to closed file '{}'", temp_.string()));
    bytes_written_ += bytes.size();
    if (buffer_.size() + bytes.size() > kBufferBytes) {
        flush_buffer();
        if (bytes.size() >= kBufferBytes) {
            buffer_.assign(bytes);
            flush_buffer();
            return;
        }
    }
    buffer_.append(bytes);
}

void AtomicFile::flush_buffer() {
    const char* p = buffer_.data();
    std::size_t left = buffer_.size();
    while (left > 0) {
        const ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            buffer_.clear();
            throw_io("write", temp_, err);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

void AtomicFile::close_quietly() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void AtomicFile::commit() {
    if (committed_) throw RunError(fmt::format("'{}' committed twice", final_.string()));
    if (fd_ < 0) throw RunError(fmt::format("commit of closed file '{}'", temp_.string()));
    flush_buffer();
    if (sync_ && !direct_ && ::fsync(fd_) != 0) throw_io("sync", temp_, errno);
    const int fd = std::exchange(fd_, -1);
    // close() can report a deferred write error (NFS, quotas): the file is then not whole.
    if (::close(fd) != 0 && errno != EINTR) throw_io("write", temp_, errno);
    if (direct_) {
        committed_ = true;
        return;
    }
    std::error_code ec;
    fs::rename(temp_, final_, ec);
    if (ec) throw_io("rename to final name", temp_, ec);
    committed_ = true;
}

// ---------------------------------------------------------------------------------------------
// OutputDir

void OutputDir::check_available(const fs::path& dir, bool force) {
    const fs::path shown = strip_trailing_separator(dir);
    std::error_code ec;
    const fs::path abs = strip_trailing_separator(fs::absolute(dir, ec));
    if (ec || shown.empty() || abs == abs.root_path() || !abs.has_filename() ||
        abs.filename() == "." || abs.filename() == "..")
        throw InputError(fmt::format("'{}' cannot be used as an output folder", dir.string()));
    const fs::path cwd = fs::current_path(ec);
    if (!ec && is_same_or_ancestor(abs, cwd))
        throw InputError(
            fmt::format("output folder '{}' is the current folder or one of its parents; choose "
                        "another with -o",
                        shown.string()));

    const fs::file_status st = fs::symlink_status(dir, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
        throw InputError(
            fmt::format("cannot use output folder '{}': {}", shown.string(), ec.message()));
    if (!fs::exists(st)) return;
    if (!fs::is_directory(fs::status(dir, ec)))
        throw InputError(
            fmt::format("output folder '{}' exists and is not a folder", shown.string()));
    if (!force)
        throw InputError(fmt::format("output folder '{}' already exists; use --force to replace it",
                                     shown.string()));
}

OutputDir::OutputDir(fs::path dir, bool force) : force_(force) {
    check_available(dir, force);
    target_ = strip_trailing_separator(dir);
    const fs::path parent = target_.parent_path();
    std::error_code ec;
    if (!parent.empty()) {
        for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
            created_root_ = p;
            if (p == p.parent_path()) break;
        }
        fs::create_directories(parent, ec);
        if (ec) throw_io("create folder", parent, ec);
    }
    staging_ = parent / hidden_sibling_name(target_, "partial");
    fs::remove_all(staging_, ec);  // a leftover of a killed run with our pid
    if (!fs::create_directory(staging_, ec) || ec) throw_io("create folder", staging_, ec);
}

OutputDir::~OutputDir() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(staging_, ec);
    if (created_root_.empty()) return;
    // Remove the parent folders we created, innermost first, as long as they are empty.
    for (fs::path p = target_.parent_path(); !p.empty(); p = p.parent_path()) {
        if (!fs::remove(p, ec) || ec) break;  // not empty (someone else wrote there) or gone
        if (p == created_root_) break;
    }
}

void OutputDir::commit() {
    if (committed_)
        throw RunError(fmt::format("output folder '{}' committed twice", target_.string()));
    std::error_code ec;
    const bool exists = fs::exists(fs::symlink_status(target_, ec));
    if (!exists) {
        fs::rename(staging_, target_, ec);
        if (ec) throw_io("move results into", target_, ec);
        committed_ = true;
        return;
    }
    if (!force_)
        throw RunError(
            fmt::format("output folder '{}' was created by someone else during the run; "
                        "use --force to replace it",
                        target_.string()));
    const fs::path old = target_.parent_path() / hidden_sibling_name(target_, "old");
    fs::remove_all(old, ec);
    fs::rename(target_, old, ec);
    if (ec) throw_io("move aside old output folder", target_, ec);
    fs::rename(staging_, target_, ec);
    if (ec) {
        const std::error_code failure = ec;
        fs::rename(old, target_, ec);  // put the old results back
        throw_io("move results into", target_, failure);
    }
    committed_ = true;
    fs::remove_all(old, ec);  // a leftover here is hidden and harmless
}

void create_parent_folders(const fs::path& file) {
    if (!file.has_parent_path()) return;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec)
        throw RunError(fmt::format("cannot create folder '{}': {}", file.parent_path().string(),
                                   ec.message()));
}

}  // namespace ts::io

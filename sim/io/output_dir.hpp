#pragma once
// Files and folders that appear only when complete. A failed or interrupted run must never
// leave a half-written file or folder that looks whole (docs/outputs.md):
//  - AtomicFile writes `<final>.tmp` and renames it to `<final>` on commit();
//  - OutputDir stages a whole output folder as `<parent>/.<name>.partial-<pid>` and moves it
//    into place on commit(), replacing an existing folder only with --force.
// Anything not committed is removed by the destructor. I/O failures throw ts::RunError naming
// the path and the system's reason.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace ts::io {

class AtomicFile {
  public:
    /// Creates (truncates) `<final_path>.tmp` for writing. With `sync`, commit() fsyncs the
    /// data before the rename. Throws RunError if the file cannot be created. When `final_path`
    /// exists and is neither a regular file nor a folder (`/dev/full`, a FIFO), or lies in /dev
    /// or /proc (`/dev/stdout`), it is opened and written in place instead: a rename would
    /// replace the device or link.
    explicit AtomicFile(std::filesystem::path final_path, bool sync = false);
    /// Without commit(): closes and removes the temporary file. Never throws.
    ~AtomicFile();

    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    AtomicFile(AtomicFile&& other) noexcept;
    AtomicFile& operator=(AtomicFile&& other) noexcept;

    /// Appends bytes (buffered). Throws RunError on a write error, or if already committed.
    void write(std::string_view bytes);
    /// Flushes, optionally fsyncs, closes (checking every step) and renames the temporary file
    /// to the final name. Throws RunError on failure; the temporary file is then removed by the
    /// destructor and no final file appears.
    void commit();

    const std::filesystem::path& final_path() const { return final_; }
    const std::filesystem::path& temp_path() const { return temp_; }
    bool committed() const { return committed_; }
    /// Bytes passed to write() so far.
    std::size_t bytes_written() const { return bytes_written_; }

  private:
    void flush_buffer();
    void close_quietly() noexcept;

    std::filesystem::path final_;
    std::filesystem::path temp_;
    std::string buffer_;
    int fd_ = -1;
    bool sync_ = false;
    bool direct_ = false;  // the final path is a device or FIFO: written in place
    bool committed_ = false;
    std::size_t bytes_written_ = 0;
};

class OutputDir {
  public:
    /// Throws InputError "output folder 'X' already exists; use --force to replace it" when
    /// `dir` exists and !force, and InputError when `dir` could never be replaced (a file that is
    /// not a folder, the root, or the current working folder or one of its parents). The CLI
    /// calls this before running so that an invalid request writes nothing.
    static void check_available(const std::filesystem::path& dir, bool force);

    /// Checks availability as above, creates missing parent folders and an empty staging folder
    /// `<parent>/.<name>.partial-<pid>` next to the target. Throws RunError on I/O failure.
    OutputDir(std::filesystem::path dir, bool force);
    /// Without commit(): removes the staging folder recursively, and the parent folders that the
    /// constructor created if they are still empty; an existing target is left untouched.
    ~OutputDir();

    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    /// The staging folder: write every output file here.
    const std::filesystem::path& path() const { return staging_; }
    /// The folder the outputs end up in.
    const std::filesystem::path& target() const { return target_; }
    bool committed() const { return committed_; }

    /// Moves the staging folder into place. If the target exists (only allowed with force): it
    /// is first renamed aside to `.<name>.old-<pid>`, then the staging folder is renamed to the
    /// target, then the old folder is removed; if the second rename fails the old folder is
    /// put back. Throws RunError on failure.
    void commit();

  private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    std::filesystem::path created_root_;  // outermost parent folder we created, or empty
    bool force_ = false;
    bool committed_ = false;
};

/// Creates the folders above `file` that do not exist yet (for `-o FILE`, which may name a new
/// folder). Throws RunError naming the folder and the system's reason.
void create_parent_folders(const std::filesystem::path& file);

}  // namespace ts::io

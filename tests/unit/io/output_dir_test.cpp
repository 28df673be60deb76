// Files and folders appear only when complete: AtomicFile and OutputDir.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using ts::io::AtomicFile;
using ts::io::OutputDir;

using ts::test::read_file;
using ts::test::TempDir;

namespace {

void write_plain(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

/// Names in a folder, sorted.
std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

}  // namespace

// --- AtomicFile -------------------------------------------------------------------------------

TEST_CASE("AtomicFile: no final file before commit, then the whole content", "[io][atomic]") {
    TempDir dir;
    const fs::path final_path = dir.path() / "data.csv";
    AtomicFile f(final_path);
    CHECK(f.temp_path() == dir.path() / "data.csv.tmp");
    f.write("hello ");
    std::string big(1 << 20, 'x');  // larger than the buffer
    f.write(big);
    f.write("\n");
    CHECK_FALSE(fs::exists(final_path));
    CHECK(fs::exists(f.temp_path()));
    f.commit();
    CHECK(f.committed());
    CHECK_FALSE(fs::exists(f.temp_path()));
    CHECK(read_file(final_path) == "hello " + big + "\n");
    CHECK(f.bytes_written() == 7 + big.size());
    CHECK_THROWS_AS(f.write("more"), ts::RunError);
    CHECK_THROWS_AS(f.commit(), ts::RunError);
}

TEST_CASE("AtomicFile: the temporary file is removed when not committed", "[io][atomic]") {
    TempDir dir;
    {
        AtomicFile f(dir.path() / "data.csv");
        f.write("partial");
    }
    CHECK(listing(dir.path()).empty());
}

TEST_CASE("AtomicFile: an existing final file survives an uncommitted rewrite", "[io][atomic]") {
    TempDir dir;
    write_plain(dir.path() / "data.csv", "old");
    {
        AtomicFile f(dir.path() / "data.csv");
        f.write("new but incomplete");
    }
    CHECK(read_file(dir.path() / "data.csv") == "old");
    CHECK(listing(dir.path()) == std::vector<std::string>{"data.csv"});
}

TEST_CASE("AtomicFile: commit replaces an existing final file", "[io][atomic]") {
    TempDir dir;
    write_plain(dir.path() / "data.csv", "old");
    AtomicFile f(dir.path() / "data.csv", /*sync=*/true);
    f.write("new");
    f.commit();
    CHECK(read_file(dir.path() / "data.csv") == "new");
}

TEST_CASE("AtomicFile: moving keeps one owner of the temporary file", "[io][atomic]") {
    TempDir dir;
    AtomicFile a(dir.path() / "a.txt");
    a.write("A");
    AtomicFile b(std::move(a));
    b.write("B");
    AtomicFile c(dir.path() / "c.txt");
    c = std::move(b);  // c's own file is discarded
    CHECK(listing(dir.path()) == std::vector<std::string>{"a.txt.tmp"});
    c.commit();
    CHECK(listing(dir.path()) == std::vector<std::string>{"a.txt"});
    CHECK(read_file(dir.path() / "a.txt") == "AB");
}

TEST_CASE("AtomicFile: a path that cannot be created is a RunError with the reason",
          "[io][atomic]") {
    TempDir dir;
    write_plain(dir.path() / "plain-file", "x");
    // Tests may run as root, so a read-only folder proves nothing: use a path under a file.
    const std::string msg =
        message_of([&] { AtomicFile f(dir.path() / "plain-file" / "data.csv"); });
    CHECK_THAT(msg,
               Catch::Contains("plain-file/data.csv.tmp") && Catch::Contains("Not a directory"));
    CHECK_THROWS_AS(AtomicFile(dir.path() / "plain-file" / "data.csv"), ts::RunError);
}

TEST_CASE("AtomicFile: a write error is a RunError and no final file appears", "[io][atomic]") {
    TempDir dir;
    const fs::path final_path = dir.path() / "data.csv";
    // The temporary file is a link to /dev/full: every write fails with ENOSPC.
    fs::create_symlink("/dev/full", dir.path() / "data.csv.tmp");
    std::string msg;
    {
        AtomicFile f(final_path);
        msg = message_of([&] {
            f.write(std::string(1000, 'x'));
            f.commit();
        });
    }
    CHECK_THAT(msg, Catch::Contains("cannot write") && Catch::Contains("data.csv.tmp") &&
                        Catch::Contains("No space left on device"));
    CHECK_FALSE(fs::exists(final_path));
    CHECK_FALSE(fs::exists(fs::symlink_status(dir.path() / "data.csv.tmp")));
}

TEST_CASE("AtomicFile: a device is written in place, never replaced by a rename", "[io][atomic]") {
    {
        AtomicFile f("/dev/null");
        f.write("discarded");
        f.commit();
    }
    CHECK(fs::is_character_file("/dev/null"));
    CHECK_FALSE(fs::exists("/dev/null.tmp"));
    std::string msg;
    {
        AtomicFile f("/dev/full");
        msg = message_of([&] {
            f.write("x");
            f.commit();
        });
    }
    CHECK_THAT(msg, Catch::Contains("cannot write '/dev/full'") &&
                        Catch::Contains("No space left on device"));
    CHECK(fs::is_character_file("/dev/full"));
}

TEST_CASE("write_text_file writes the whole text", "[io][atomic]") {
    TempDir dir;
    ts::io::write_text_file(dir.path() / "m.json", "{}\n");
    CHECK(listing(dir.path()) == std::vector<std::string>{"m.json"});
    CHECK(read_file(dir.path() / "m.json") == "{}\n");
    CHECK_THROWS_AS(ts::io::write_text_file(dir.path() / "m.json" / "x", "{}"), ts::RunError);
}

// --- OutputDir --------------------------------------------------------------------------------

TEST_CASE("OutputDir::check_available refuses an existing folder without --force", "[io][outdir]") {
    TempDir dir;
    const fs::path target = dir.path() / "out";
    CHECK_NOTHROW(OutputDir::check_available(target, false));
    fs::create_directory(target);
    CHECK_THROWS_AS(OutputDir::check_available(target, false), ts::InputError);
    CHECK(message_of([&] { OutputDir::check_available(target, false); }) ==
          "output folder '" + target.string() + "' already exists; use --force to replace it");
    CHECK_NOTHROW(OutputDir::check_available(target, true));
    // A trailing separator names the same folder.
    CHECK_THROWS_AS(OutputDir::check_available(target.string() + "/", false), ts::InputError);
    // The constructor checks too, and then writes nothing.
    CHECK_THROWS_AS(OutputDir(target, false), ts::InputError);
    CHECK(listing(dir.path()) == std::vector<std::string>{"out"});
}

TEST_CASE("OutputDir::check_available refuses targets that can never be replaced", "[io][outdir]") {
    TempDir dir;
    write_plain(dir.path() / "file", "x");
    CHECK_THAT(message_of([&] { OutputDir::check_available(dir.path() / "file", true); }),
               Catch::Contains("is not a folder"));
    CHECK_THROWS_AS(OutputDir::check_available("/", true), ts::InputError);
    CHECK_THROWS_AS(OutputDir::check_available(".", true), ts::InputError);
    CHECK_THROWS_AS(OutputDir::check_available(fs::current_path().parent_path(), true),
                    ts::InputError);
}

TEST_CASE("OutputDir stages next to the target and commit puts the files in place",
          "[io][outdir]") {
    TempDir dir;
    const fs::path target = dir.path() / "runs" / "deep" / "chips";
    {
        OutputDir out(target, false);
        CHECK(out.target() == target);
        CHECK(out.path() ==
              dir.path() / "runs" / "deep" / (".chips.partial-" + std::to_string(::getpid())));
        CHECK(fs::is_directory(out.path()));
        ts::io::write_text_file(out.path() / "a.csv", "a\n");
        CHECK_FALSE(fs::exists(target));
        out.commit();
        CHECK(out.committed());
        CHECK_THROWS_AS(out.commit(), ts::RunError);
    }
    CHECK(listing(dir.path() / "runs" / "deep") == std::vector<std::string>{"chips"});
    CHECK(listing(target) == std::vector<std::string>{"a.csv"});
    CHECK(read_file(target / "a.csv") == "a\n");
}

TEST_CASE("OutputDir abandoned without commit leaves no trace", "[io][outdir]") {
    TempDir dir;
    {
        OutputDir out(dir.path() / "new" / "parents" / "chips", false);
        ts::io::write_text_file(out.path() / "a.csv", "a\n");
        fs::create_directory(out.path() / "sub");
        ts::io::write_text_file(out.path() / "sub" / "b.csv", "b\n");
    }
    CHECK(listing(dir.path()).empty());  // staging and the parents it created are gone

    // Parents that existed before, or that hold other files, are kept.
    fs::create_directory(dir.path() / "kept");
    { OutputDir out(dir.path() / "kept" / "chips", false); }
    CHECK(listing(dir.path()) == std::vector<std::string>{"kept"});
    CHECK(listing(dir.path() / "kept").empty());
}

TEST_CASE("OutputDir abandoned with --force leaves the existing folder untouched", "[io][outdir]") {
    TempDir dir;
    const fs::path target = dir.path() / "chips";
    fs::create_directory(target);
    write_plain(target / "flows.csv", "old results");
    {
        OutputDir out(target, true);
        ts::io::write_text_file(out.path() / "flows.csv", "new results");
        // no commit: the run failed
    }
    CHECK(listing(dir.path()) == std::vector<std::string>{"chips"});
    CHECK(listing(target) == std::vector<std::string>{"flows.csv"});
    CHECK(read_file(target / "flows.csv") == "old results");
}

TEST_CASE("OutputDir with --force replaces the old folder on commit", "[io][outdir]") {
    TempDir dir;
    const fs::path target = dir.path() / "chips";
    fs::create_directory(target);
    write_plain(target / "flows.csv", "old results");
    write_plain(target / "stale.csv", "only in the old run");
    {
        OutputDir out(target, true);
        ts::io::write_text_file(out.path() / "flows.csv", "new results");
        out.commit();
    }
    CHECK(listing(dir.path()) == std::vector<std::string>{"chips"});  // no .old- or .partial- left
    CHECK(listing(target) == std::vector<std::string>{"flows.csv"});
    CHECK(read_file(target / "flows.csv") == "new results");
}

TEST_CASE("OutputDir commit refuses a target that appeared during the run without --force",
          "[io][outdir]") {
    TempDir dir;
    const fs::path target = dir.path() / "chips";
    {
        OutputDir out(target, false);
        ts::io::write_text_file(out.path() / "flows.csv", "new");
        fs::create_directory(target);
        write_plain(target / "theirs.csv", "someone else's");
        CHECK_THROWS_AS(out.commit(), ts::RunError);
    }
    CHECK(listing(dir.path()) == std::vector<std::string>{"chips"});
    CHECK(listing(target) == std::vector<std::string>{"theirs.csv"});
}

#pragma once
// The columns of every CSV file of a run folder, in one table: the writers take their header
// rows from it, and datapackage.json (a Frictionless Data package, Table Schema per file) is
// generated from it, so what the files hold and what the package says they hold cannot drift
// apart (docs/outputs.md, "datapackage.json").
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ts::io {

struct OutputColumn {
    std::string_view name;
    std::string_view type;  // Table Schema type: integer, number, string, date
    std::string_view unit;  // "" when the column is not a quantity
    std::string_view description;
    std::vector<std::string_view> allowed = {};  // constraints.enum, when the values are a set
};

struct OutputFile {
    std::string_view name;  // "flows.csv"
    std::string_view description;
    std::vector<OutputColumn> columns;       // without the `run` column of ensembles
    std::vector<std::string_view> key = {};  // primary key, without `run`; empty: none
    bool per_run = true;  // ensembles add a first column `run` (not to summary, parameters)
};

inline constexpr std::string_view kDataPackageJson = "datapackage.json";

/// The file's entry; throws ts::RunError for a name that is not in the table.
const OutputFile& output_file(std::string_view name);

/// The header row of `file`: `run` first when `run_column`, then the table's columns.
std::vector<std::string_view> output_header(std::string_view file, bool run_column);
std::vector<std::string_view> output_header(const OutputFile& file, bool run_column);

/// summary.csv of an ensemble (statistics over runs instead of one value).
const OutputFile& ensemble_summary_file();

/// The files of a sweep folder: runs.csv and summary.csv (the long layout of a run's
/// summary.csv, after the `leading` columns: variant, design and parameter columns, which must
/// outlive the result), morris.csv, sobol.csv and parameters.csv.
std::vector<OutputFile> sweep_files(const std::vector<OutputColumn>& leading);

struct DataPackageOptions {
    std::string name;  // the scenario's name
    bool run_column = false;
    bool flows_by_buyer = true;  // false with --detail country: buyer is empty, not in the key
    /// The files the folder may hold; nullptr: a run folder's (the table).
    const std::vector<OutputFile>* files = nullptr;
};

/// datapackage.json for the CSV files of the table (or `options.files`) present in `dir`, in
/// table order.
std::string datapackage_json(const std::filesystem::path& dir, const DataPackageOptions& options);

/// Writes datapackage_json(dir, options) to dir/datapackage.json.
void write_datapackage(const std::filesystem::path& dir, const DataPackageOptions& options);

}  // namespace ts::io

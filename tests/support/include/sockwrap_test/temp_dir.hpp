#pragma once
/// \file
/// A private temporary directory, removed with its contents when the object dies.

#include <string>

namespace sockwrap_test {

/// mkdtemp() under $TMPDIR (or /tmp); short paths so UNIX socket paths fit in sun_path.
class temp_dir {
  public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::string& path() const noexcept { return path_; }
    /// `path()/name`.
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

}  // namespace sockwrap_test

// A dialog in C++ that never flushes: asks with printf, reads with std::getline(std::cin).
// With sync_with_stdio(false), std::cin reads through a buffer of its own and its tie flushes
// only std::cout's own buffer, never C stdio: nothing printf wrote leaves the process. (With
// the default synchronisation libstdc++'s tie ends in fflush(stdout), and the dialog works.)
#include <cstdio>
#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::string line;
    for (int i = 0; i < 3; ++i) {
        std::printf("question %d\n", i);
        if (!std::getline(std::cin, line)) return 1;
        std::printf("child got [%s]\n", line.c_str());
    }
    return 0;
}

# A dialog in Python that never flushes: asks with print, reads with sys.stdin.readline.
# Python block-buffers stdout when it is not a terminal, whatever the C library does.
import sys

for i in range(3):
    print("question %d" % i)
    line = sys.stdin.readline()
    if not line:
        sys.exit(1)
    print("child got [%s]" % line.rstrip("\n"))

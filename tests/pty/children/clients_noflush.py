"""
Clients 4 and 5 of Programming Python's test-socket_stream_redirect.py with the
socket_stream_redirect call gone (sockwrap puts the socket on stdin/stdout) and,
unlike tests/sockwrap/e2e/dialogs/clients.py, with the manual sys.stdout.flush()
removed as well: under sockwrap --line-buffered nothing is left waiting in a
buffer. Run as: python3 clients_noflush.py N
"""
import sys, os

###############################################################################
# redirect client input + output, client is socket server (sockwrap --listen)
###############################################################################

def client4():
    mypid = os.getpid()
    for i in range(3):
        data = input()                                   # input from socket: flushes!
        print('client %s got [%s]' % (mypid, data))     # print to socket

###############################################################################
# redirect client input + output, client is socket client, server xfers first
# (sockwrap --connect)
###############################################################################

def client5():
    mypid = os.getpid()
    for i in range(3):
        data = input()                                   # input from socket: flushes!
        print('client %s got [%s]' % (mypid, data))     # print to socket

if __name__ == '__main__':
    client = eval('client' + sys.argv[1])
    client()

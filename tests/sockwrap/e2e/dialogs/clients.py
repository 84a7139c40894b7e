"""
The client functions of the five dialogs in Programming Python's
test-socket_stream_redirect.py, unmodified except that each one's call to a
socket_stream_redirect function (redirectOut, redirectIn, redirectBothAsClient,
redirectBothAsServer) is gone: sockwrap puts the socket on stdin/stdout before
the script starts. Run as: python3 clients.py N
"""
import sys, os

###############################################################################
# redirected client output (sockwrap --out)
###############################################################################

def client1():
    mypid = os.getpid()
    for i in range(3):
        print('client %s: %s' % (mypid, i))              # print to socket
        sys.stdout.flush()                               # else buffered till exits!

###############################################################################
# redirected client input (sockwrap --in)
###############################################################################

def client2():
    mypid = os.getpid()
    for i in range(3):
        data = input()                                   # input from socket
        print('client %s got [%s]' % (mypid, data))     # print normally to terminal

###############################################################################
# redirect client input + output, client is socket client (sockwrap --connect)
###############################################################################

def client3():
    mypid = os.getpid()
    for i in range(3):
        print('client %s: %s' % (mypid, i))              # print to socket
        data = input()                                   # input from socket: flushes!
        sys.stderr.write('client %s got [%s]\n' % (mypid, data))  # not redirected

###############################################################################
# redirect client input + output, client is socket server (sockwrap --listen)
###############################################################################

def client4():
    mypid = os.getpid()
    for i in range(3):
        data = input()                                   # input from socket: flushes!
        print('client %s got [%s]' % (mypid, data))     # print to socket
        sys.stdout.flush()                               # else last buffered till exit!

###############################################################################
# redirect client input + output, client is socket client, server xfers first
# (sockwrap --connect)
###############################################################################

def client5():
    mypid = os.getpid()
    for i in range(3):
        data = input()                                   # input from socket: flushes!
        print('client %s got [%s]' % (mypid, data))     # print to socket
        sys.stdout.flush()                               # else last buffered till exit!

if __name__ == '__main__':
    client = eval('client' + sys.argv[1])
    client()

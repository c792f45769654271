import socket, subprocess, sys, time, re
java, jar = sys.argv[1], sys.argv[2]
p = subprocess.Popen([java, '--enable-native-access=ALL-UNNAMED', '-jar', jar, 'echo', 'inet', 'stream', '127.0.0.1:0'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = p.stdout.readline()
port = int(line.rsplit(':', 1)[1])
def status():
    s = open('/proc/%d/status' % p.pid).read()
    return re.search(r'Threads:\s+(\d+)', s).group(1), re.search(r'VmRSS:\s+(\d+)', s).group(1)
print('before: threads %s, RSS %s kB' % status())
held = []
for i in range(5000):
    c = socket.create_connection(('127.0.0.1', port)); c.sendall(b'x'); assert c.recv(1) == b'x'; held.append(c)
time.sleep(1)
print('5000 echoed, idle: threads %s, RSS %s kB' % status())
for c in held: c.close()
p.terminate(); p.wait()

"""Run one snippet as `__main__`, the way `python snippets/<slug>/NN_x.py` would, with two guards.

Usage: python tools/run/run_snippet.py snippets/<slug>/NN_x.py   (tools/model/snippets.py:run calls it)

- Network: snippets must use data that ships with a dependency or that they generate. Any attempt to resolve or
  connect to a non-loopback host fails at once with a message that names the host, instead of hanging.
- Device: the harness picks it through SNIPPET_DEVICE. For 'cpu' it has already hidden the GPUs
  (CUDA_VISIBLE_DEVICES=""); for 'gpu' we stop with a clear message if TensorFlow cannot see one, rather than
  letting the snippet silently run on the CPU.
- Keras backend: after the program, the backend Keras ran on is printed to stderr (BACKEND_LINE), so that the tests
  of a JAX case can tell a run on JAX from one that fell back to TensorFlow.
"""

import ipaddress
import os
import runpy
import socket
import sys

EXIT_NO_GPU = 3
BACKEND_LINE = "[harness] keras backend: {}"


class NetworkAccessBlocked(ConnectionError):
    pass


def _is_loopback(host) -> bool:
    if host in (None, "localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def block_network() -> None:
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def refuse(host):
        raise NetworkAccessBlocked(
            f"snippet tried to reach {host!r}: snippets run offline (use data a dependency ships, or generate it)"
        )

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host if not isinstance(host, bytes) else host.decode()):
            refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            refuse(address[0])
        return real_connect(self, address)

    def connect_ex(self, address):
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            refuse(address[0])
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


def require_gpu() -> None:
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        sys.stderr.write(
            "GPU run requested and nvidia-smi sees a GPU, but TensorFlow sees none "
            f"(tensorflow {tf.__version__}, built with CUDA: {tf.test.is_built_with_cuda()}). "
            "Install the CUDA build: pip uninstall -y tensorflow-cpu && pip install 'tensorflow[and-cuda]'\n"
        )
        sys.exit(EXIT_NO_GPU)
    print(f"[harness] running on {', '.join(g.name for g in gpus)}", file=sys.stderr)


def run_as_main(path: str, argv: list[str] | tuple[str, ...] = ()) -> None:
    """Run the file as `python PATH ARGV...` would: its own argv, its folder first on sys.path, as __main__.

    Shared with the warm runner's children (tools/run/warm_runner.py).
    """
    path = os.path.abspath(path)
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(path))
    runpy.run_path(path, run_name="__main__")


def main() -> None:
    block_network()
    if os.environ.get("SNIPPET_DEVICE") == "gpu":
        require_gpu()
    run_as_main(sys.argv[1], sys.argv[2:])
    keras = sys.modules.get("keras")  # only when the program imported it: Keras reads KERAS_BACKEND at import
    if keras is not None:
        print(BACKEND_LINE.format(keras.backend.backend()), file=sys.stderr)


if __name__ == "__main__":
    main()

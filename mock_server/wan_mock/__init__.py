"""wan_mock: a faithful offline mock of the DashScope Wan video API.

``WanMockServer`` runs ``wan-mock serve`` on a free loopback port for any process to use;
``wan_mock.app.create_app`` builds the Flask app in process.
"""

from .server import WanMockServer

__all__ = ["WanMockServer"]

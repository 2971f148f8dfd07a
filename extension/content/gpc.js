// Global Privacy Control in the page's own world: navigator.globalPrivacyControl is true.
Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true, enumerable: true });

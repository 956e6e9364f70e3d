[Kernel]
DenyModule=usb-storage ../evil

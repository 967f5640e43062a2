# Put on PYTHONPATH by the driver's test: every interpreter started with it prints a line that
# is not a reply of gil-lab's driver before the driver says hello.
print("this is not JSON")

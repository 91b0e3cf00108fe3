#include <cstdio>
int main() { std::puts("rustnet " RUSTNET_VERSION); }
